using AlexNet.Kernels;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// Max pooling (column maxima, then vector or scalar row maxima) against its row-major twin, with ties, NaN and −∞
/// in the data, on rows narrower and wider than a vector.
/// </summary>
public sealed class MaxPoolingTwinTests
{
    [Theory]
    [InlineData(1, 7, 7, 3, 2)]
    [InlineData(3, 13, 13, 3, 2)]
    [InlineData(5, 28, 28, 3, 2)]
    [InlineData(2, 9, 6, 2, 2)]
    [InlineData(4, 8, 11, 3, 1)]
    [InlineData(200, 27, 27, 3, 2)]
    [InlineData(3, 10, 40, 2, 3)]
    [InlineData(2, 6, 17, 5, 1)]
    [InlineData(2, 55, 55, 3, 2)]
    [InlineData(30, 3, 3, 3, 2)] // rows of 3 columns (scalar) and of exactly 4 (4 lanes, no overlap)
    [InlineData(7, 5, 4, 2, 1)]
    public void FastMatchesReferenceExactly(int planes, int h, int w, int window, int stride)
    {
        var random = new Random(planes * 100 + h);
        // Few distinct values (as after a ReLU: many zeros) so that windows have ties.
        var x = Enumerable.Range(0, planes * h * w).Select(_ => (float)Math.Max(0, random.Next(-3, 4))).ToArray();
        x[random.Next(x.Length)] = float.NaN;
        x[random.Next(x.Length)] = float.NegativeInfinity;
        for (var i = 0; i < w; i++) x[i] = float.NegativeInfinity;
        var (p, q) = MaxPooling.OutputSize(h, w, window, stride);
        var (yFast, yReference) = (new float[planes * p * q], new float[planes * p * q]);
        var (iFast, iReference) = (new int[yFast.Length], new int[yFast.Length]);
        MaxPoolingReference.Forward(x, yReference, iReference, planes, h, w, window, stride);
        // The scalar row pass first (the fallback of machines without AVX2), then the default route.
        MaxPooling.Forward(x, yFast, iFast, planes, h, w, window, stride, vectorRows: false);
        Assert.Equal(iReference, iFast);
        Assert.Equal(yReference, yFast);
        MaxPooling.Forward(x, yFast, iFast, planes, h, w, window, stride);
        Assert.Equal(iReference, iFast);
        Assert.Equal(yReference, yFast);

        var dy = Enumerable.Range(0, yFast.Length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var (dxFast, dxReference) = (Enumerable.Repeat(5f, x.Length).ToArray(), new float[x.Length]); // dx is overwritten
        MaxPooling.Backward(dy, iFast, dxFast, planes, h * w, p * q);
        MaxPoolingReference.Backward(dy, iReference, dxReference, planes, h * w, p * q);
        Assert.Equal(dxReference, dxFast);
    }
}
