using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// The convolution (direct for stride 1, im2col + GEMM otherwise) and its im2col + GEMM route on every shape,
/// against the nested-loop twin on odd shapes.
/// </summary>
public sealed class ConvolutionTwinTests
{
    [Theory]
    [InlineData(1, 3, 7, 9, 5, 3, 1, 1, 1)]
    [InlineData(3, 4, 9, 11, 6, 3, 2, 1, 2)]
    [InlineData(2, 3, 23, 23, 4, 11, 4, 0, 1)]
    [InlineData(3, 6, 5, 5, 9, 5, 1, 2, 3)]
    [InlineData(1, 2, 13, 13, 4, 3, 1, 1, 2)]
    [InlineData(3, 1, 6, 8, 5, 1, 1, 0, 1)]
    [InlineData(2, 4, 7, 6, 4, 4, 3, 2, 4)]
    public void FastMatchesReference(int n, int c, int h, int w, int k, int r, int stride, int padding, int groups)
    {
        var g = new Conv2dGeometry(n, c, h, w, k, r, stride, padding, groups);
        var random = new Random(n * 1000 + c * 100 + k);
        var x = TensorAssert.Random(random, n, c, h, w).Data;
        var weights = TensorAssert.Random(random, k, c / groups, r, r).Data;
        var bias = TensorAssert.Random(random, k).Data;
        var dy = TensorAssert.Random(random, n, k, g.P, g.Q).Data;

        var yReference = new float[n * k * g.OutputPlane];
        ConvolutionReference.Forward(x, weights, bias, yReference, g);
        var dxReference = new float[x.Length];
        var (dwReference, dbReference) = (Enumerable.Repeat(0.25f, weights.Length).ToArray(), Enumerable.Repeat(-0.5f, k).ToArray());
        ConvolutionReference.Backward(x, weights, dy, dxReference, dwReference, dbReference, g);

        foreach (var unfolded in new[] { false, true })
        {
            var yFast = new float[yReference.Length];
            if (unfolded) Convolution.ForwardUnfolded(x, weights, bias, yFast, g);
            else Convolution.Forward(x, weights, bias, yFast, g);
            TensorAssert.Close(yReference, yFast, 1e-5, $"y (unfolded: {unfolded})");

            // Gradients accumulate into dw and db, so start both from the same non-zero values.
            var dwFast = Enumerable.Repeat(0.25f, weights.Length).ToArray();
            var dbFast = Enumerable.Repeat(-0.5f, k).ToArray();
            var dxFast = Enumerable.Repeat(9f, x.Length).ToArray();
            if (unfolded) Convolution.BackwardUnfolded(x, weights, dy, dxFast, dwFast, dbFast, g);
            else Convolution.Backward(x, weights, dy, dxFast, dwFast, dbFast, g);
            TensorAssert.Close(dxReference, dxFast, 1e-5, $"dx (unfolded: {unfolded})");
            TensorAssert.Close(dwReference, dwFast, 1e-5, $"dw (unfolded: {unfolded})");
            TensorAssert.Close(dbReference, dbFast, 1e-5, $"db (unfolded: {unfolded})");
        }
    }

    [Fact]
    public void SkippingTheInputGradientLeavesWeightGradientsUnchanged()
    {
        var g = new Conv2dGeometry(2, 4, 8, 8, 6, 3, 1, 1, 2);
        var random = new Random(3);
        var x = TensorAssert.Random(random, 2, 4, 8, 8).Data;
        var weights = TensorAssert.Random(random, 6, 2, 3, 3).Data;
        var dy = TensorAssert.Random(random, 2, 6, 8, 8).Data;
        var (dw1, db1, dw2, db2) = (new float[weights.Length], new float[6], new float[weights.Length], new float[6]);
        Convolution.Backward(x, weights, dy, new float[x.Length], dw1, db1, g);
        Convolution.Backward(x, weights, dy, Span<float>.Empty, dw2, db2, g);
        Assert.Equal(dw1, dw2);
        Assert.Equal(db1, db2);
    }

    [Fact]
    public void RejectsChannelsNotDivisibleByGroups()
    {
        var error = Assert.Throws<ArgumentException>(() => new Conv2dGeometry(1, 3, 5, 5, 4, 3, 1, 0, 2).Validate());
        Assert.Contains("divisible by groups", error.Message);
    }
}
