using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// The single-input-channel weight gradient on nChw8c output gradients against the plain convolution backward (sums in
/// double): the output gradient is re-laid into blocks, the gradients compared on odd sizes, strides and paddings.
/// </summary>
public sealed class SingleChannelWeightGradientTwinTests
{
    [Theory]
    [InlineData(1, 8, 7, 7, 1, 2)]     // one sample, one block of channels
    [InlineData(3, 16, 9, 11, 1, 2)]   // a partial last task of samples
    [InlineData(5, 32, 28, 28, 1, 2)]  // mini's conv1
    [InlineData(2, 8, 12, 10, 2, 1)]   // strided
    [InlineData(4, 24, 6, 5, 1, 0)]    // no padding
    public void MatchesThePlainTwin(int n, int k, int h, int w, int stride, int padding)
    {
        Assert.True(SingleChannelWeightGradient.Takes(new Conv2dGeometry(1, 1, 5, 5, 8, 5, 1, 0, 1)), "this suite runs on x86-64 machines with AVX2 and FMA");
        var g = new Conv2dGeometry(n, 1, h, w, k, 5, stride, padding, 1);
        var random = new Random(n * 10 + k + h);
        var x = TensorAssert.Random(random, n, 1, h, w).Data;
        var dy = TensorAssert.Random(random, n, k, g.P, g.Q).Data;
        var weights = new float[k * 25];
        var (dwReference, dbReference) = (new float[k * 25], new float[k]);
        ConvolutionReference.Backward(x, weights, dy, [], dwReference, dbReference, g);

        var (dw, db) = (new float[k * 25], new float[k]);
        Array.Fill(dw, float.NaN); // overwritten, not accumulated
        SingleChannelWeightGradient.Compute(x, ChannelBlocks.ToBlocks(dy, n, k, g.OutputPlane), dw, db, g);

        TensorAssert.Close(dwReference, dw, 1e-5, "dw");
        TensorAssert.Close(dbReference, db, 1e-5, "db");
    }

    [Fact]
    public void ShapesItDoesNotComputeAreRefused()
    {
        Assert.False(SingleChannelWeightGradient.Takes(new Conv2dGeometry(2, 3, 8, 8, 8, 5, 1, 2, 1)));  // three input channels
        Assert.False(SingleChannelWeightGradient.Takes(new Conv2dGeometry(2, 1, 8, 8, 12, 5, 1, 2, 1))); // channels not in blocks of 8
        Assert.False(SingleChannelWeightGradient.Takes(new Conv2dGeometry(2, 1, 8, 8, 8, 3, 1, 1, 1)));  // 3×3
        var g = new Conv2dGeometry(2, 1, 8, 8, 8, 3, 1, 1, 1);
        var error = Assert.Throws<ArgumentException>(() => SingleChannelWeightGradient.Compute(new float[128], new float[1024], new float[72], new float[8], g));
        Assert.Contains("one input channel", error.Message);
    }
}
