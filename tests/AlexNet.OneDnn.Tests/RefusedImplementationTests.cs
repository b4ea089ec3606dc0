using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// Plans never run oneDNN's reference code: a primitive whose chosen implementation is refused is not created, a
/// convolution's backward weights tries other layouts, and a layer left with refused code anywhere runs on the
/// managed kernels, with the same results (checked against the managed layers as every layer group is).
/// </summary>
public sealed unsafe class RefusedImplementationTests
{
    [OneDnnFact]
    public void AConvolutionBetweenMismatchedPlainLayoutsGetsOnlyReferenceCodeAndIsRefused()
    {
        using var context = new DnnlContext();
        var desc = default(OpDesc);
        // NCHW source, NHWC destination: no JIT or GEMM kernel takes the two together.
        var src = MemoryDescs.Plain([2, 3, 9, 9]);
        var weights = MemoryDescs.Any([8, 3, 3, 3]);
        var bias = MemoryDescs.Plain([8]);
        var dst = MemoryDescs.Create([2, 8, 7, 7], DnnlConstants.FormatAcdb);
        var (strides, padding) = (MemoryDescs.ToDims([1, 1]), MemoryDescs.ToDims([0, 0]));
        NativeMethods.Check(NativeMethods.dnnl_convolution_forward_desc_init(&desc, DnnlConstants.ForwardInference, DnnlConstants.ConvolutionDirect,
            &src, &weights, &bias, &dst, (long*)&strides, (long*)&padding, (long*)&padding), "dnnl_convolution_forward_desc_init");
        ReferenceImplementationException? refused = null;
        try
        {
            DnnlPrimitive.Create(context, &desc, "mismatched convolution").Dispose();
        }
        catch (ReferenceImplementationException e)
        {
            refused = e;
        }
        Assert.NotNull(refused);
        Assert.StartsWith("ref", refused.Implementation);
        Assert.Contains("mismatched convolution", refused.Message);
    }

    [OneDnnFact]
    public void ALayerWhoseBackwardIsRefusedRunsOnTheManagedKernels()
    {
        // 12 channels, not whole blocks of 8: the LRN is oneDNN's primitive, not the managed blocked kernel.
        var delegated = LayerBackendTests.Compare(
            [new ConvolutionLayer("conv", 4, 12, kernel: 3, padding: 1), new ReluLayer("relu"), new LrnLayer("norm", 5, 1e-4f, 0.75f, 2f),
             new MaxPoolLayer("pool", 3, 2)],
            new Shape(4, 9, 9), batch: 3, seed: 11, refuses: r => r.Primitive == "norm backward");
        Assert.Equal(["norm"], delegated);
    }

    [OneDnnFact]
    public void ARefusedFusedConvolutionRunsManagedAndItsReluOnOneDnn()
    {
        var layers = new Layer[] { new ConvolutionLayer("conv", 3, 8, kernel: 3, padding: 1), new ReluLayer("relu"), new MaxPoolLayer("pool", 3, 2) };
        var delegated = LayerBackendTests.Compare(layers, new Shape(3, 8, 7), batch: 3, seed: 12, refuses: r => r.Primitive == "conv+relu");
        Assert.Equal(["conv"], delegated);
        using var stack = new OneDnnLayerStack(layers, new Shape(3, 8, 7), r => r.Primitive == "conv+relu");
        stack.Forward(new Tensor(3, 3, 8, 7), ForwardContext.Inference);
        Assert.Equal(["conv", "relu", "pool"], stack.StepNames.Where(n => !n.Contains('(')));
        Assert.Contains(stack.Notices, n => n.Contains("conv") && n.Contains("managed"));
    }

    [OneDnnFact]
    public void BackwardWeightsTriesChannelsLastWhenTheForwardLayoutsAreRefused()
    {
        // Refuses the first layouts offered (the forward's), so that channels-last is the one that runs.
        var offers = 0;
        var delegated = LayerBackendTests.Compare(
            [new ConvolutionLayer("conv", 3, 16, kernel: 3, padding: 1), new ReluLayer("relu")],
            new Shape(3, 9, 8), batch: 3, seed: 13, refuses: r => r.Primitive == "conv+relu backward weights" && offers++ == 0);
        Assert.Empty(delegated);
        Assert.Equal(2, offers);
    }
}
