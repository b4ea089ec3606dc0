using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Backends;

/// <summary>Runs the network's layers in order; the layers keep what backward needs.</summary>
internal sealed class ManagedPlan(ManagedBackend backend, Network network) : IExecutionPlan
{
    private bool _trainingForwardDone;

    public IBackend Backend => backend;

    public Tensor Forward(Tensor input, ForwardContext context)
    {
        var logits = network.Forward(input, context);
        _trainingForwardDone = context.Training;
        return logits;
    }

    public void Backward(Tensor logitsGradient)
    {
        if (!_trainingForwardDone)
        {
            throw new InvalidOperationException("Backward needs a training Forward on the same plan first.");
        }
        network.Backward(logitsGradient);
    }

    public void Dispose()
    {
    }
}
