using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// One stage of a compiled plan: a layer, a fused group of layers, or a reorder between layouts. Memories are
/// fixed when the plan is compiled: <see cref="Output"/> is the next stage's input, and in training
/// <see cref="DiffInput"/> is the previous stage's output gradient.
/// </summary>
internal abstract class PlanStep(string name, DnnlContext context, DnnlMemory input) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>Layer name(s) for profiles, e.g. <c>conv1+relu1</c>.</summary>
    public string Name { get; } = name;

    protected DnnlContext Context { get; } = context;

    public DnnlMemory Input { get; } = input;

    public abstract DnnlMemory Output { get; }

    /// <summary>The parameters whose gradients <see cref="Backward"/> writes (those of the step's layer).</summary>
    public IReadOnlyList<Tensors.Parameter> Parameters { get; set; } = [];

    /// <summary>Gradient w.r.t. <see cref="Input"/>, in its layout; null where nobody needs it (the first layer).</summary>
    public DnnlMemory? DiffInput { get; protected set; }

    public abstract void Forward(ForwardContext context);

    /// <summary>
    /// Creates the backward primitives, reading the output gradient from <paramref name="diffOutput"/>; activation
    /// gradients and their temporaries come from <paramref name="gradients"/>.
    /// </summary>
    public void PrepareBackward(DnnlMemory diffOutput, GradientArena gradients)
    {
        Gradients = gradients;
        CreateBackward(diffOutput);
    }

    protected abstract void CreateBackward(DnnlMemory diffOutput);

    /// <summary>Where backward memories for activation gradients come from (set before <see cref="CreateBackward"/>).</summary>
    protected GradientArena Gradients { get; private set; } = null!;

    public abstract void Backward();

    private DnnlPrimitive? _inputReorder, _diffInputReorder;
    private readonly List<DnnlPrimitive> _diffOutputReorders = [];

    /// <summary>The input in the layout a primitive wants: the input itself, or a copy reordered before each forward.</summary>
    protected DnnlMemory AdaptInput(in MemoryDesc wanted)
    {
        if (MemoryDescs.Equal(Input.Desc, wanted)) return Input;
        var adapted = Own(DnnlMemory.Allocate(Context, wanted));
        _inputReorder = Own(DnnlPrimitive.Reorder(Context, Input.Desc, wanted, Name + " input"))
            .Bind((DnnlConstants.ArgFrom, Input), (DnnlConstants.ArgTo, adapted));
        return adapted;
    }

    /// <summary>Rents <see cref="DiffInput"/> and returns where a primitive writing <paramref name="produced"/> should write.</summary>
    protected DnnlMemory CreateDiffInput(in MemoryDesc produced)
    {
        DiffInput = Gradients.Rent(Input.Desc);
        if (MemoryDescs.Equal(Input.Desc, produced)) return DiffInput;
        var written = Gradients.Rent(produced);
        _diffInputReorder = Own(DnnlPrimitive.Reorder(Context, produced, Input.Desc, Name + " input gradient"))
            .Bind((DnnlConstants.ArgFrom, written), (DnnlConstants.ArgTo, DiffInput));
        return written;
    }

    /// <summary>
    /// The output gradient in the layout a backward primitive wants (each backward primitive of a step may want its
    /// own); <see cref="ReorderDiffOutput"/> fills every copy.
    /// </summary>
    protected DnnlMemory AdaptDiffOutput(DnnlMemory diffOutput, in MemoryDesc wanted)
    {
        if (MemoryDescs.Equal(diffOutput.Desc, wanted)) return diffOutput;
        var adapted = Gradients.Rent(wanted);
        _diffOutputReorders.Add(Own(DnnlPrimitive.Reorder(Context, diffOutput.Desc, wanted, Name + " output gradient"))
            .Bind((DnnlConstants.ArgFrom, diffOutput), (DnnlConstants.ArgTo, adapted)));
        return adapted;
    }

    /// <summary>
    /// Binds a forward primitive's source and destination and, in training, the workspace its backward pass reads
    /// (pooling, LRN); returns that workspace, or null when there is none.
    /// </summary>
    protected DnnlMemory? BindWithWorkspace(DnnlPrimitive forward, DnnlMemory output, bool training)
    {
        var workspace = forward.Query(DnnlConstants.QueryWorkspaceMd);
        if (!training || MemoryDescs.Bytes(workspace) == 0)
        {
            forward.Bind((DnnlConstants.ArgSrc, Input), (DnnlConstants.ArgDst, output));
            return null;
        }
        var memory = Own(DnnlMemory.Allocate(Context, workspace));
        forward.Bind((DnnlConstants.ArgSrc, Input), (DnnlConstants.ArgDst, output), (DnnlConstants.ArgWorkspace, memory));
        return memory;
    }

    protected void ReorderInput() => _inputReorder?.Execute(Context);

    protected void ReorderDiffOutput()
    {
        foreach (var reorder in _diffOutputReorders) reorder.Execute(Context);
    }

    protected void ReorderDiffInput() => _diffInputReorder?.Execute(Context);

    protected T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
    }
}
