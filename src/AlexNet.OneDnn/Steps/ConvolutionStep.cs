using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// A convolution (groups as 5-D goihw weights), with the ReLU after it fused as a post-op when there is one.
/// oneDNN picks the layouts of src, weights and dst (<c>any</c>); weights are reordered from OIHW at every forward
/// because the optimizer changes them between steps.
/// </summary>
internal sealed unsafe class ConvolutionStep : PlanStep
{
    private readonly ConvolutionLayer _layer;
    private readonly bool _relu;
    private readonly DnnlMemory _src;
    private readonly DnnlPrimitive _forward;
    private readonly ParameterTransfer _weights, _bias;
    private readonly ParameterLoader _weightsLoader, _biasLoader;
    private Dims _strides, _padding;
    /// <summary>The weights' dims with layout left to oneDNN (forward, backward weights and backward data may differ).</summary>
    private MemoryDesc _weightsAny;
    private ReluBackward? _reluBackward;
    private DnnlPrimitive? _backwardWeights, _backwardData, _weightsForData;
    private GradientAccumulator? _weightsGradient, _biasGradient;

    public ConvolutionStep(ConvolutionLayer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, int batch, Shape inputShape, bool training)
        : base(relu is null ? layer.Name : $"{layer.Name}+{relu.Name}", context, input)
    {
        (_layer, _relu) = (layer, relu is not null);
        var g = layer.Geometry(batch, inputShape);
        int[] weightDims = g.Groups == 1 ? [g.K, g.C, g.R, g.R] : [g.Groups, g.K / g.Groups, g.C / g.Groups, g.R, g.R];
        _weights = Own(new ParameterTransfer(context, layer.Weight, weightDims));
        _bias = Own(new ParameterTransfer(context, layer.Bias, [g.K]));
        _strides = MemoryDescs.ToDims([g.Stride, g.Stride]);
        _padding = MemoryDescs.ToDims([g.Padding, g.Padding]);
        _weightsAny = MemoryDescs.Any(weightDims);
        var desc = default(OpDesc);
        var (src, weights, bias, dst) = (MemoryDescs.Any([g.N, g.C, g.H, g.W]), _weightsAny, _bias.CanonicalDesc, MemoryDescs.Any([g.N, g.K, g.P, g.Q]));
        fixed (Dims* strides = &_strides, padding = &_padding)
        {
            NativeMethods.Check(NativeMethods.dnnl_convolution_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
                DnnlConstants.ConvolutionDirect, &src, &weights, &bias, &dst, (long*)strides, (long*)padding, (long*)padding),
                $"dnnl_convolution_forward_desc_init ({Name})");
        }
        if (_relu)
        {
            using var attr = PostOpAttribute.Relu();
            _forward = Own(DnnlPrimitive.Create(context, &desc, Name, attr.Handle));
        }
        else
        {
            _forward = Own(DnnlPrimitive.Create(context, &desc, Name));
        }
        _src = AdaptInput(_forward.Query(DnnlConstants.QuerySrcMd));
        _weightsLoader = _weights.CreateLoader(_forward.Query(DnnlConstants.QueryWeightsMd));
        _biasLoader = _bias.CreateLoader(_bias.CanonicalDesc);
        Output = Own(DnnlMemory.Allocate(context, _forward.Query(DnnlConstants.QueryDstMd)));
        _forward.Bind((DnnlConstants.ArgSrc, _src), (DnnlConstants.ArgWeights, _weightsLoader.Memory), (DnnlConstants.ArgBias, _biasLoader.Memory),
            (DnnlConstants.ArgDst, Output));
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context)
    {
        ReorderInput();
        _weightsLoader.Load();
        _biasLoader.Load();
        _forward.Execute(Context);
    }

    public override void PrepareBackward(DnnlMemory diffOutput)
    {
        if (_relu)
        {
            _reluBackward = Own(new ReluBackward(Context, Name + " relu", Output, diffOutput));
            diffOutput = _reluBackward.DiffInput;
        }
        var desc = default(OpDesc);
        var (src, diffBias, diffDst) = (_src.Desc, _bias.CanonicalDesc, Output.Desc);
        var diffWeights = _weightsAny;
        fixed (Dims* strides = &_strides, padding = &_padding)
        {
            NativeMethods.Check(NativeMethods.dnnl_convolution_backward_weights_desc_init(&desc, DnnlConstants.ConvolutionDirect, &src, &diffWeights,
                &diffBias, &diffDst, (long*)strides, (long*)padding, (long*)padding), $"dnnl_convolution_backward_weights_desc_init ({Name})");
            _backwardWeights = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward weights", hint: _forward));
            diffOutput = AdaptDiffOutput(diffOutput, _backwardWeights.Query(DnnlConstants.QueryDiffDstMd));
            _weightsGradient = _weights.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd));
            _biasGradient = _bias.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd, index: 1));
            _backwardWeights.Bind((DnnlConstants.ArgSrc, _src), (DnnlConstants.ArgDiffDst, diffOutput), (DnnlConstants.ArgDiffWeights, _weightsGradient.Memory),
                (DnnlConstants.ArgDiffBias, _biasGradient.Memory));
            if (!_layer.ComputesInputGradient) return;
            desc = default;
            var weights = _weightsAny;
            // diff_src 'any': forcing the forward's src layout (plain NCHW for 1 or 3 channels) would pick oneDNN's reference code.
            var diffSrc = MemoryDescs.Any(MemoryDescs.Dims(_src.Desc));
            NativeMethods.Check(NativeMethods.dnnl_convolution_backward_data_desc_init(&desc, DnnlConstants.ConvolutionDirect, &diffSrc, &weights, &diffDst,
                (long*)strides, (long*)padding, (long*)padding), $"dnnl_convolution_backward_data_desc_init ({Name})");
        }
        _backwardData = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward data", hint: _forward));
        var weightsMemory = _weightsLoader.Memory;
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
        _backwardWeights!.Execute(Context);
        _weightsGradient!.Accumulate();
        _biasGradient!.Accumulate();
        if (_backwardData is null) return;
        _weightsForData?.Execute(Context);
        _backwardData.Execute(Context);
        ReorderDiffInput();
    }
}
