using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// What a convolution and an inner product share on oneDNN: weights and bias read in place or reordered in from
/// canonical layout at every forward, the ReLU after the layer fused as a post-op, gradients written or accumulated
/// back into canonical layout, and a weights reorder when backward data wants another layout than forward.
/// Subclasses only describe their operation (forward, backward weights, backward data descriptors).
/// </summary>
internal abstract unsafe class WeightedStep : PlanStep
{
    private readonly Layer _layer;
    private readonly bool _relu;
    private readonly ParameterTransfer _weights, _bias;
    private DnnlMemory? _output;
    private DnnlPrimitive? _forward;
    private ParameterLoader? _weightsLoader, _biasLoader;
    private ReluBackward? _reluBackward;
    private DnnlPrimitive? _backwardWeights, _backwardData, _weightsForData;
    private GradientAccumulator? _weightsGradient, _biasGradient;

    protected WeightedStep(Layer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, Tensors.Parameter weight, int[] weightDims,
        Tensors.Parameter bias, int outputs)
        : base(relu is null ? layer.Name : $"{layer.Name}+{relu.Name}", context, input)
    {
        (_layer, _relu) = (layer, relu is not null);
        _weights = Own(new ParameterTransfer(context, weight, weightDims));
        _bias = Own(new ParameterTransfer(context, bias, [outputs]));
    }

    public override DnnlMemory Output => _output ?? throw new InvalidOperationException($"{Name}: the forward primitive was not created.");

    /// <summary>The bias as the primitives take it: plain, one value per output.</summary>
    protected MemoryDesc BiasDesc => _bias.CanonicalDesc;

    /// <summary>Source memory after any reorder into the forward primitive's layout.</summary>
    protected DnnlMemory Source { get; private set; } = null!;

    /// <summary>Creates the forward primitive from its descriptor (called once by the subclass constructor).</summary>
    protected void CreateForward(OpDesc* desc)
    {
        if (_relu)
        {
            using var attr = PostOpAttribute.Relu();
            _forward = Own(DnnlPrimitive.Create(Context, desc, Name, attr.Handle));
        }
        else
        {
            _forward = Own(DnnlPrimitive.Create(Context, desc, Name));
        }
        Source = AdaptInput(_forward.Query(DnnlConstants.QuerySrcMd));
        _weightsLoader = _weights.CreateLoader(_forward.Query(DnnlConstants.QueryWeightsMd));
        _biasLoader = _bias.CreateLoader(_bias.CanonicalDesc);
        _output = Own(DnnlMemory.Allocate(Context, _forward.Query(DnnlConstants.QueryDstMd)));
        _forward.Bind((DnnlConstants.ArgSrc, Source), (DnnlConstants.ArgWeights, _weightsLoader.Memory), (DnnlConstants.ArgBias, _biasLoader.Memory),
            (DnnlConstants.ArgDst, _output));
    }

    /// <summary>Fills the backward-weights descriptor for this source and output-gradient layout.</summary>
    protected abstract void InitBackwardWeights(OpDesc* desc, MemoryDesc* src, MemoryDesc* diffDst);

    /// <summary>Fills the backward-data descriptor; the input gradient's layout is left to oneDNN or fixed by the subclass.</summary>
    protected abstract void InitBackwardData(OpDesc* desc, MemoryDesc* diffDst);

    public override void Forward(ForwardContext context)
    {
        ReorderInput();
        _weightsLoader!.Load();
        _biasLoader!.Load();
        _forward!.Execute(Context);
    }

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        if (_relu)
        {
            _reluBackward = Own(new ReluBackward(Context, Name + " relu", Output, diffOutput, Gradients));
            diffOutput = _reluBackward.DiffInput;
        }
        var desc = default(OpDesc);
        var (src, diffDst) = (Source.Desc, Output.Desc);
        InitBackwardWeights(&desc, &src, &diffDst);
        _backwardWeights = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward weights", hint: _forward));
        diffOutput = AdaptDiffOutput(diffOutput, _backwardWeights.Query(DnnlConstants.QueryDiffDstMd));
        _weightsGradient = _weights.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd));
        _biasGradient = _bias.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd, index: 1));
        _backwardWeights.Bind((DnnlConstants.ArgSrc, Source), (DnnlConstants.ArgDiffDst, diffOutput), (DnnlConstants.ArgDiffWeights, _weightsGradient.Memory),
            (DnnlConstants.ArgDiffBias, _biasGradient.Memory));
        if (!_layer.ComputesInputGradient) return;
        desc = default;
        InitBackwardData(&desc, &diffDst);
        _backwardData = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward data", hint: _forward));
        var weightsMemory = _weightsLoader!.Memory;
        var wanted = _backwardData.Query(DnnlConstants.QueryWeightsMd);
        if (!MemoryDescs.Equal(wanted, weightsMemory.Desc))
        {
            weightsMemory = Own(DnnlMemory.Allocate(Context, wanted));
            _weightsForData = Own(DnnlPrimitive.Reorder(Context, _weightsLoader.Memory.Desc, wanted, Name + " weights for backward data"))
                .Bind((DnnlConstants.ArgFrom, _weightsLoader.Memory), (DnnlConstants.ArgTo, weightsMemory));
        }
        if (!MemoryDescs.Equal(_backwardData.Query(DnnlConstants.QueryDiffDstMd), diffOutput.Desc))
        {
            throw new OneDnnException($"{Name}: backward data wants another output-gradient layout than backward weights.");
        }
        var dx = CreateDiffInput(_backwardData.Query(DnnlConstants.QueryDiffSrcMd));
        _backwardData.Bind((DnnlConstants.ArgDiffDst, diffOutput), (DnnlConstants.ArgWeights, weightsMemory), (DnnlConstants.ArgDiffSrc, dx));
    }

    public override void Backward()
    {
        _reluBackward?.Execute();
        ReorderDiffOutput();
        _weightsGradient!.Prepare();
        _biasGradient!.Prepare();
        _backwardWeights!.Execute(Context);
        _weightsGradient.Accumulate();
        _biasGradient.Accumulate();
        if (_backwardData is null) return;
        _weightsForData?.Execute(Context);
        _backwardData.Execute(Context);
        ReorderDiffInput();
    }
}
