using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Backends;

/// <summary>
/// Runs the network's layers in order; the layers keep what backward needs. The plan owns the activation and
/// gradient buffers, so that after the first step no layer allocates.
/// </summary>
internal sealed class ManagedPlan(ManagedBackend backend, Network network) : IExecutionPlan
{
    private readonly LayerBuffers _buffers = new();
    private bool _trainingForwardDone;

    public IBackend Backend => backend;

    public LayerProfile? Profile { get; set; }

    public Action<IReadOnlyList<Parameter>>? GradientsReady { get; set; }

    public Tensor Forward(Tensor input, ForwardContext context)
    {
        context = context with { Buffers = _buffers, Fusion = network.Fusion };
        var logits = Profile is null ? network.Forward(input, context) : ProfiledForward(input, context, Profile);
        _trainingForwardDone = context.Training;
        return logits;
    }

    private Tensor ProfiledForward(Tensor input, ForwardContext context, LayerProfile profile)
    {
        network.CheckInput(input);
        var x = input;
        foreach (var layer in network.Layers)
        {
            var started = LayerProfile.Start();
            x = layer.Forward(x, context);
            profile.Stop(layer.Name, LayerProfile.ForwardPass, started);
        }
        return x;
    }

    public void Backward(Tensor logitsGradient)
    {
        if (!_trainingForwardDone)
        {
            throw new InvalidOperationException("Backward needs a training Forward on the same plan first.");
        }
        if (Profile is null && GradientsReady is null)
        {
            network.Backward(logitsGradient);
            return;
        }
        var gradient = logitsGradient;
        for (var i = network.Layers.Count - 1; i >= 0; i--)
        {
            var layer = network.Layers[i];
            var started = LayerProfile.Start();
            gradient = layer.Backward(gradient);
            Profile?.Stop(layer.Name, LayerProfile.BackwardPass, started);
            if (layer.Parameters.Count > 0) GradientsReady?.Invoke(layer.Parameters);
            // The first trainable layer ends backward: the layers before it are frozen (or it is the first layer).
            if (!layer.ComputesInputGradient) break;
        }
    }

    public PlanDescription Describe(int batch, bool training) => new(backend.Name, Kernels.KernelIsa.Name, [], []);

    public void Dispose() => _buffers.Clear();
}
