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
internal sealed unsafe class ConvolutionStep : WeightedStep
{
    private Dims _strides, _padding, _paddingEnd;
    /// <summary>The weights' dims with layout left to oneDNN (forward, backward weights and backward data may differ).</summary>
    private MemoryDesc _weightsAny;
    private readonly Kernels.Conv2dGeometry _geometry;
    private readonly int _extraEndPadding;

    public ConvolutionStep(ConvolutionLayer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, int batch, Shape inputShape, bool training)
        : this(layer, relu, context, input, layer.Geometry(batch, inputShape), layer.ExtraEndPadding, training)
    {
    }

    /// <param name="g">The managed kernels' geometry, whose input is widened by <paramref name="extraEndPadding"/>: oneDNN pads
    /// the real input unequally instead (padding_r = padding_l + extra).</param>
    private ConvolutionStep(ConvolutionLayer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, Kernels.Conv2dGeometry g, int extraEndPadding,
        bool training)
        : base(layer, relu, context, input, layer.Weight, WeightDims(g), layer.Bias, g.K)
    {
        (_geometry, _extraEndPadding) = (g, extraEndPadding);
        _strides = MemoryDescs.ToDims([g.Stride, g.Stride]);
        _padding = MemoryDescs.ToDims([g.Padding, g.Padding]);
        _paddingEnd = MemoryDescs.ToDims([g.Padding + extraEndPadding, g.Padding + extraEndPadding]);
        _weightsAny = MemoryDescs.Any(WeightDims(g));
        var desc = default(OpDesc);
        var (src, weights, bias, dst) = (MemoryDescs.Any([g.N, g.C, g.H - extraEndPadding, g.W - extraEndPadding]), _weightsAny, BiasDesc,
            MemoryDescs.Any([g.N, g.K, g.P, g.Q]));
        fixed (Dims* strides = &_strides, padding = &_padding, paddingEnd = &_paddingEnd)
        {
            NativeMethods.Check(NativeMethods.dnnl_convolution_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
                DnnlConstants.ConvolutionDirect, &src, &weights, &bias, &dst, (long*)strides, (long*)padding, (long*)paddingEnd),
                $"dnnl_convolution_forward_desc_init ({Name})");
        }
        CreateForward(&desc);
    }

    /// <summary>
    /// After the forward's layouts, channels-last and then plain NCHW for both source and output gradient: with one
    /// input channel oneDNN keeps the source plain, and on AVX2 it has only reference code for backward weights from a
    /// plain source and a blocked output gradient, while channels-last gets its JIT kernel (the same bytes as NCHW
    /// for one channel) and plain NCHW its GEMM-based one.
    /// </summary>
    protected override IEnumerable<(MemoryDesc Source, MemoryDesc DiffOutput)> BackwardWeightsLayouts()
    {
        foreach (var layouts in base.BackwardWeightsLayouts()) yield return layouts;
        var (source, output) = (MemoryDescs.Dims(Source.Desc), MemoryDescs.Dims(Output.Desc));
        yield return (MemoryDescs.Create(source, DnnlConstants.FormatAcdb), MemoryDescs.Create(output, DnnlConstants.FormatAcdb));
        yield return (MemoryDescs.Plain(source), MemoryDescs.Plain(output));
    }

    /// <summary>
    /// A 5×5 convolution of one input channel (mini's first layer) computes its weight gradient with the managed
    /// <see cref="Kernels.SingleChannelWeightGradient"/> from the plain source and the blocked output gradient: oneDNN's
    /// JIT code needs channels-last copies of both here and took twice as long.
    /// </summary>
    protected override WeightGradientKernel? ManagedWeightGradient()
    {
        var g = _geometry;
        if (!Kernels.SingleChannelWeightGradient.Takes(g) || _extraEndPadding != 0) return null;
        if (!MemoryDescs.Equal(Source.Desc, MemoryDescs.Plain(MemoryDescs.Dims(Source.Desc)))) return null;
        if (!MemoryDescs.IsChannelBlocked8(Output.Desc)) return null;
        return (x, dy, dw, db) => Kernels.SingleChannelWeightGradient.Compute(x, dy, dw, db, g);
    }

    private static int[] WeightDims(Kernels.Conv2dGeometry g) =>
        g.Groups == 1 ? [g.K, g.C, g.R, g.R] : [g.Groups, g.K / g.Groups, g.C / g.Groups, g.R, g.R];

    protected override void InitBackwardWeights(OpDesc* desc, MemoryDesc* src, MemoryDesc* diffDst)
    {
        var (diffWeights, diffBias) = (_weightsAny, BiasDesc);
        fixed (Dims* strides = &_strides, padding = &_padding, paddingEnd = &_paddingEnd)
        {
            NativeMethods.Check(NativeMethods.dnnl_convolution_backward_weights_desc_init(desc, DnnlConstants.ConvolutionDirect, src, &diffWeights,
                &diffBias, diffDst, (long*)strides, (long*)padding, (long*)paddingEnd), $"dnnl_convolution_backward_weights_desc_init ({Name})");
        }
    }

    protected override void InitBackwardData(OpDesc* desc, MemoryDesc* diffDst)
    {
        var weights = _weightsAny;
        // diff_src 'any': forcing the forward's src layout (plain NCHW for 1 or 3 channels) would pick oneDNN's reference code.
        var diffSrc = MemoryDescs.Any(MemoryDescs.Dims(Source.Desc));
        fixed (Dims* strides = &_strides, padding = &_padding, paddingEnd = &_paddingEnd)
        {
            NativeMethods.Check(NativeMethods.dnnl_convolution_backward_data_desc_init(desc, DnnlConstants.ConvolutionDirect, &diffSrc, &weights, diffDst,
                (long*)strides, (long*)padding, (long*)paddingEnd), $"dnnl_convolution_backward_data_desc_init ({Name})");
        }
    }
}
