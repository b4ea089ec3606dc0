using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.OneDnn.Primitives;
using AlexNet.Tensors;

namespace AlexNet.OneDnn;

/// <summary>
/// A network on oneDNN: compiled once per (batch size, training or inference) and cached, since creating
/// primitives costs far more than running them. Activations stay in oneDNN's layouts between layers.
/// </summary>
internal sealed class OneDnnPlan : IExecutionPlan
{
    /// <summary>Enough for training, its last short batch, and evaluation's sizes, without growing without bound.</summary>
    private const int MaxCompiled = 6;

    private readonly OneDnnBackend _backend;
    private readonly Network _network;
    private readonly DnnlContext _context = new();
    private readonly Dictionary<(int Batch, bool Training), CompiledNetwork> _compiled = [];
    private CompiledNetwork? _lastTraining;

    public OneDnnPlan(OneDnnBackend backend, Network network) => (_backend, _network) = (backend, network);

    public IBackend Backend => _backend;

    public LayerProfile? Profile { get; set; }

    public Action<IReadOnlyList<Parameter>>? GradientsReady { get; set; }

    public Tensor Forward(Tensor input, ForwardContext context)
    {
        _network.CheckInput(input);
        var compiled = Compiled(input.BatchSize, context.Training);
        var logits = compiled.Forward(input, context, Profile);
        _lastTraining = context.Training ? compiled : null;
        return logits;
    }

    public void Backward(Tensor logitsGradient)
    {
        var compiled = _lastTraining ?? throw new InvalidOperationException("Backward needs a training Forward on the same plan first.");
        compiled.Backward(logitsGradient, Profile, GradientsReady);
    }

    public PlanDescription Describe(int batch, bool training)
    {
        var compiled = Compiled(batch, training);
        return new PlanDescription(_backend.Name, _backend.Library.Isa, compiled.DelegatedLayers,
            compiled.Primitives.Select(p => new KernelChoice(p.Primitive, p.Implementation)).ToList());
    }

    /// <summary>The fused groups and layers the plan runs for a batch size, in order (for tests and summaries).</summary>
    internal IEnumerable<string> StepNames(int batch, bool training) => Compiled(batch, training).StepNames;

    private CompiledNetwork Compiled(int batch, bool training)
    {
        if (_compiled.TryGetValue((batch, training), out var compiled)) return compiled;
        // A compiled network holds its own copies of the weights (and in training their gradients, workspaces and
        // every activation), so networks of the other mode are released first: training and evaluation take turns
        // once per epoch, and recompiling then costs far less than keeping both would cost in peak memory.
        var released = _compiled.Count >= MaxCompiled ? _compiled.ToList() : _compiled.Where(e => e.Key.Training != training).ToList();
        foreach (var entry in released)
        {
            entry.Value.Dispose();
            _compiled.Remove(entry.Key);
        }
        compiled = PlanCompiler.Compile(_context, _network, batch, training, _backend.Notice);
        _compiled[(batch, training)] = compiled;
        return compiled;
    }

    public void Dispose()
    {
        foreach (var compiled in _compiled.Values) compiled.Dispose();
        _compiled.Clear();
        _context.Dispose();
    }
}
