using AlexNet.Layers;
using AlexNet.OneDnn.Primitives;
using AlexNet.Tensors;

namespace AlexNet.OneDnn;

/// <summary>
/// Any list of layers on oneDNN for inputs of any (C, H, W), returning the last layer's output and the input
/// gradient: lets tests hold single layers and odd shapes against the managed layers and PyTorch's fixtures.
/// </summary>
/// <param name="refuses">Implementations to refuse besides oneDNN's reference code (tests of the fallbacks).</param>
internal sealed class OneDnnLayerStack(IReadOnlyList<Layer> layers, Shape sampleShape, Func<PrimitiveRecord, bool>? refuses = null) : IDisposable
{
    private readonly DnnlContext _context = refuses is null ? new() : new() { Refuses = r => refuses(r) || DnnlPrimitive.IsReference(r.Implementation) };
    private CompiledNetwork? _compiled;
    private Shape? _inputShape;

    public List<string> Notices { get; } = [];

    public IEnumerable<string> StepNames => _compiled?.StepNames ?? [];

    /// <summary>Layers the compiled stack runs on the managed kernels.</summary>
    public IReadOnlyList<string> DelegatedLayers => _compiled?.DelegatedLayers ?? [];

    public Tensor Forward(Tensor input, ForwardContext context)
    {
        if (_compiled is null || !input.Shape.Equals(_inputShape) || _compiled.Training != context.Training)
        {
            _compiled?.Dispose();
            _compiled = PlanCompiler.Compile(_context, layers, sampleShape, input.BatchSize, context.Training, Notices.Add);
            _inputShape = input.Shape;
        }
        return _compiled.Forward(input, context, null);
    }

    public Tensor? Backward(Tensor outputGradient)
    {
        var compiled = _compiled ?? throw new InvalidOperationException("Backward before Forward.");
        compiled.Backward(outputGradient, null);
        return compiled.InputGradient(_inputShape!);
    }

    public void Dispose()
    {
        _compiled?.Dispose();
        _context.Dispose();
    }
}
