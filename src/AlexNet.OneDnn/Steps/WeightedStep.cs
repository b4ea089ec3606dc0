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
    /// <summary>Weight and bias gradients (overwritten, canonical layout) from the source and the output gradient in the output's layout.</summary>
    protected delegate void WeightGradientKernel(ReadOnlySpan<float> source, ReadOnlySpan<float> diffOutput, Span<float> weightGradient, Span<float> biasGradient);

    private readonly Layer _layer;
    private readonly bool _relu;
    private readonly ParameterTransfer _weights, _bias;
    private DnnlMemory? _output;
    private DnnlPrimitive? _forward;
    private ParameterLoader? _weightsLoader, _biasLoader;
    private ReluBackward? _reluBackward;
    private DnnlPrimitive? _backwardWeights, _backwardData, _weightsForData, _sourceForWeights;
    private GradientAccumulator? _weightsGradient, _biasGradient;
    private readonly Tensors.Parameter _weightParameter, _biasParameter;
    private WeightGradientKernel? _managedWeightGradient;
    private DnnlMemory? _managedDiffOutput;
    private float[] _weightScratch = [], _biasScratch = [];

    protected WeightedStep(Layer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, Tensors.Parameter weight, int[] weightDims,
        Tensors.Parameter bias, int outputs)
        : base(relu is null ? layer.Name : $"{layer.Name}+{relu.Name}", context, input)
    {
        (_layer, _relu, _weightParameter, _biasParameter) = (layer, relu is not null, weight, bias);
        _weights = Own(new ParameterTransfer(context, weight, weightDims));
        _bias = Own(new ParameterTransfer(context, bias, [outputs]));
    }

    public override DnnlMemory Output => _output ?? throw new InvalidOperationException($"{Name}: the forward primitive was not created.");

    /// <summary>The bias as the primitives take it: plain, one value per output.</summary>
    protected MemoryDesc BiasDesc => _bias.CanonicalDesc;

    /// <summary>Source memory after any reorder into the forward primitive's layout.</summary>
    protected DnnlMemory Source { get; private set; } = null!;

    /// <summary>
    /// A managed kernel for the weight and bias gradients where oneDNN's backward-weights primitive is the slow part of
    /// the step (see <see cref="ConvolutionStep"/>), or null to run oneDNN's.
    /// </summary>
    protected virtual WeightGradientKernel? ManagedWeightGradient() => null;

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

    /// <summary>
    /// (source, output gradient) layouts to offer backward weights, best first. The forward's own layouts come first,
    /// since they need no copies; a subclass adds others for shapes where oneDNN has only reference code for those.
    /// </summary>
    protected virtual IEnumerable<(MemoryDesc Source, MemoryDesc DiffOutput)> BackwardWeightsLayouts()
    {
        yield return (Source.Desc, Output.Desc);
    }

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
        _managedWeightGradient = ManagedWeightGradient();
        if (_managedWeightGradient is null) CreateBackwardWeightsPrimitive(diffOutput);
        else
        {
            _managedDiffOutput = AdaptDiffOutput(diffOutput, Output.Desc);
            (_weightScratch, _biasScratch) = (new float[_weightParameter.Shape.ElementCount], new float[_biasParameter.Shape.ElementCount]);
            Context.Log?.Add(new PrimitiveRecord(Name + " backward weights", "managed:nChw8c"));
        }
        if (!_layer.ComputesInputGradient) return;
        var desc = default(OpDesc);
        var diffDst = Output.Desc;
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
        var dataDiffOutput = AdaptDiffOutput(diffOutput, _backwardData.Query(DnnlConstants.QueryDiffDstMd));
        var dx = CreateDiffInput(_backwardData.Query(DnnlConstants.QueryDiffSrcMd));
        _backwardData.Bind((DnnlConstants.ArgDiffDst, dataDiffOutput), (DnnlConstants.ArgWeights, weightsMemory), (DnnlConstants.ArgDiffSrc, dx));
    }

    private void CreateBackwardWeightsPrimitive(DnnlMemory diffOutput)
    {
        _backwardWeights = CreateBackwardWeights();
        var source = Source;
        var wantedSource = _backwardWeights.Query(DnnlConstants.QuerySrcMd);
        if (!MemoryDescs.Equal(wantedSource, Source.Desc))
        {
            source = Gradients.Rent(wantedSource);
            _sourceForWeights = Own(DnnlPrimitive.Reorder(Context, Source.Desc, wantedSource, Name + " input for backward weights"))
                .Bind((DnnlConstants.ArgFrom, Source), (DnnlConstants.ArgTo, source));
        }
        var weightsDiffOutput = AdaptDiffOutput(diffOutput, _backwardWeights.Query(DnnlConstants.QueryDiffDstMd));
        _weightsGradient = _weights.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd));
        _biasGradient = _bias.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd, index: 1));
        _backwardWeights.Bind((DnnlConstants.ArgSrc, source), (DnnlConstants.ArgDiffDst, weightsDiffOutput),
            (DnnlConstants.ArgDiffWeights, _weightsGradient.Memory), (DnnlConstants.ArgDiffBias, _biasGradient.Memory));
    }

    /// <summary>The backward-weights primitive for the first of <see cref="BackwardWeightsLayouts"/> that oneDNN has a fast kernel for.</summary>
    private DnnlPrimitive CreateBackwardWeights()
    {
        ReferenceImplementationException? refused = null;
        foreach (var (source, diffOutput) in BackwardWeightsLayouts())
        {
            var desc = default(OpDesc);
            var (src, diffDst) = (source, diffOutput);
            InitBackwardWeights(&desc, &src, &diffDst);
            try
            {
                return Own(DnnlPrimitive.Create(Context, &desc, Name + " backward weights", hint: _forward));
            }
            catch (ReferenceImplementationException e)
            {
                refused = e;
            }
        }
        throw refused ?? (Exception)new InvalidOperationException($"{Name}: no backward-weights layouts to try.");
    }

    public override void Backward()
    {
        _reluBackward?.Execute();
        ReorderDiffOutput();
        if (_managedWeightGradient is not null)
        {
            Context.Wait();
            _managedWeightGradient(Source.Floats, _managedDiffOutput!.Floats, _weightScratch, _biasScratch);
            AddGradient(_weightParameter, _weightScratch);
            AddGradient(_biasParameter, _biasScratch);
        }
        else
        {
            _sourceForWeights?.Execute(Context);
            _weightsGradient!.Prepare();
            _biasGradient!.Prepare();
            _backwardWeights!.Execute(Context);
            _weightsGradient.Accumulate();
            _biasGradient.Accumulate();
        }
        if (_backwardData is null) return;
        _weightsForData?.Execute(Context);
        _backwardData.Execute(Context);
        ReorderDiffInput();
    }

    /// <summary>Writes the gradient while it is known to be zero, adds to it otherwise (as <see cref="GradientAccumulator"/> does).</summary>
    private static void AddGradient(Tensors.Parameter parameter, float[] computed)
    {
        var gradient = parameter.Gradient.Data;
        if (parameter.GradientIsZero) computed.CopyTo(gradient, 0);
        else System.Numerics.Tensors.TensorPrimitives.Add(computed, gradient, gradient);
        parameter.NoteGradientWritten();
    }
}
