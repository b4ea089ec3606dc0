using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// A fully connected layer on plain (N, in) data, writing plain (N, out), with the ReLU after it fused as a
/// post-op when there is one. The weights stay in their canonical (out, in) layout in every direction: they are
/// nearly all of AlexNet's parameters, and oneDNN's GEMM-based inner product reads them and writes their gradient
/// in place, where a blocked layout would need a copy of each (hundreds of MiB for the paper's network).
/// </summary>
internal sealed unsafe class InnerProductStep : WeightedStep
{
    private readonly int[] _weightDims;

    public InnerProductStep(LinearLayer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, int batch, bool training)
        : base(layer, relu, context, input, layer.Weight, [layer.OutFeatures, layer.InFeatures], layer.Bias, layer.OutFeatures)
    {
        _weightDims = [layer.OutFeatures, layer.InFeatures];
        var desc = default(OpDesc);
        var (src, weights, bias, dst) = (MemoryDescs.Plain([batch, layer.InFeatures]), MemoryDescs.Plain(_weightDims), BiasDesc,
            MemoryDescs.Plain([batch, layer.OutFeatures]));
        NativeMethods.Check(NativeMethods.dnnl_inner_product_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
            &src, &weights, &bias, &dst), $"dnnl_inner_product_forward_desc_init ({Name})");
        CreateForward(&desc);
    }

    protected override void InitBackwardWeights(OpDesc* desc, MemoryDesc* src, MemoryDesc* diffDst)
    {
        var (diffWeights, diffBias) = (MemoryDescs.Plain(_weightDims), BiasDesc);
        NativeMethods.Check(NativeMethods.dnnl_inner_product_backward_weights_desc_init(desc, src, &diffWeights, &diffBias, diffDst),
            $"dnnl_inner_product_backward_weights_desc_init ({Name})");
    }

    protected override void InitBackwardData(OpDesc* desc, MemoryDesc* diffDst)
    {
        var src = Source.Desc;
        var weights = MemoryDescs.Plain(_weightDims);
        NativeMethods.Check(NativeMethods.dnnl_inner_product_backward_data_desc_init(desc, &src, &weights, diffDst),
            $"dnnl_inner_product_backward_data_desc_init ({Name})");
    }
}
