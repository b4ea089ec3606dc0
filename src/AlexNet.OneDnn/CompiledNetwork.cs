using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.OneDnn.Primitives;
using AlexNet.OneDnn.Steps;
using AlexNet.Tensors;

namespace AlexNet.OneDnn;

/// <summary>
/// A network's primitives and memories for one batch size and one mode (training or inference), created once
/// and reused for every batch of that size.
/// </summary>
internal sealed class CompiledNetwork : IDisposable
{
    private readonly DnnlContext _context;
    private readonly DnnlMemory _input;
    private readonly IReadOnlyList<PlanStep> _steps;
    private readonly DnnlMemory? _logitsGradient;
    private readonly GradientArena? _gradients;
    private readonly Shape _outputShape;

    /// <param name="outputShape">The last step's output shape, batch included, in plain layout: (N, classes) for a network.</param>
    public CompiledNetwork(DnnlContext context, DnnlMemory input, IReadOnlyList<PlanStep> steps, Shape outputShape, bool training)
    {
        (_context, _input, _steps, _outputShape, Training) = (context, input, steps, outputShape, training);
        if (!training) return;
        var logits = steps.Count > 0 ? steps[^1].Output : input;
        _gradients = new GradientArena(context);
        _gradients.BeginStep();
        _logitsGradient = _gradients.Rent(logits.Desc);
        _gradients.KeepForNextStep(_logitsGradient);
        var gradient = _logitsGradient;
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            _gradients.BeginStep();
            try
            {
                steps[i].PrepareBackward(gradient, _gradients);
            }
            catch (ReferenceImplementationException refused)
            {
                refused.Step = steps[i];
                throw;
            }
            gradient = steps[i].DiffInput!;
            if (gradient is null) break;
            _gradients.KeepForNextStep(gradient);
        }
        _gradients.Commit();
    }

    public bool Training { get; }

    /// <summary>Every oneDNN primitive the network runs, with the implementation oneDNN chose for it.</summary>
    public IReadOnlyList<PrimitiveRecord> Primitives { get; internal set; } = [];

    /// <summary>Layers that run on the managed kernels, because oneDNN has no primitive or only reference code for them.</summary>
    public IReadOnlyList<string> DelegatedLayers { get; internal set; } = [];

    /// <summary>Bytes the backward pass holds for activation gradients (zero for inference).</summary>
    public long GradientBytes => _gradients?.Bytes ?? 0;

    public IEnumerable<string> StepNames => _steps.Select(s => s.Name);

    public Tensor Forward(Tensor input, ForwardContext context, LayerProfile? profile)
    {
        input.Data.AsSpan().CopyTo(_input.Floats);
        foreach (var step in _steps)
        {
            var started = LayerProfile.Start();
            step.Forward(context);
            _context.Wait();
            profile?.Stop(step.Name, "forward", started);
        }
        var logits = new Tensor(_outputShape);
        (_steps.Count > 0 ? _steps[^1].Output : _input).Floats[..logits.Length].CopyTo(logits.Data);
        return logits;
    }

    /// <param name="gradientsReady">Told each step's parameters once the step has run (its gradients are then final).</param>
    public void Backward(Tensor logitsGradient, LayerProfile? profile, Action<IReadOnlyList<Parameter>>? gradientsReady = null)
    {
        if (_logitsGradient is null) throw new InvalidOperationException("Backward needs a network compiled for training.");
        logitsGradient.Data.AsSpan().CopyTo(_logitsGradient.Floats);
        for (var i = _steps.Count - 1; i >= 0; i--)
        {
            var started = LayerProfile.Start();
            _steps[i].Backward();
            _context.Wait();
            profile?.Stop(_steps[i].Name, "backward", started);
            if (gradientsReady is not null && _steps[i].Parameters.Count > 0) gradientsReady(_steps[i].Parameters);
            if (_steps[i].DiffInput is null) break;
        }
    }

    /// <summary>The gradient w.r.t. the input (plain NCHW) after <see cref="Backward"/>, when the first layer computes it.</summary>
    public Tensor? InputGradient(Shape inputShape)
    {
        if (_steps.Count == 0 || _steps[0].DiffInput is not { } diff) return null;
        var gradient = new Tensor(inputShape);
        diff.Floats[..gradient.Length].CopyTo(gradient.Data);
        return gradient;
    }

    public void Dispose()
    {
        for (var i = _steps.Count - 1; i >= 0; i--) _steps[i].Dispose();
        _gradients?.Dispose();
        _input.Dispose();
    }
}
