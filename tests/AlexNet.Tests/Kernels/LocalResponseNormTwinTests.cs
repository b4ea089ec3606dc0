using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>The vectorized LRN, at every vector width, against the element-by-element formula and its written-out derivative.</summary>
public sealed class LocalResponseNormTwinTests
{
    [Theory]
    [InlineData(1, 5, 3, 3, 5, 1e-4f, 0.75f, 2f, 20f)]
    [InlineData(3, 7, 5, 6, 5, 0.3f, 0.75f, 1f, 1f)]
    [InlineData(2, 3, 4, 1, 4, 0.8f, 0.5f, 1.5f, 1f)]
    [InlineData(1, 1, 7, 7, 3, 1f, 1f, 1f, 2f)]
    [InlineData(2, 9, 2, 3, 9, 2f, 0.6f, 0.5f, 1f)]
    // Planes wider than one task's strip of 256 positions, with a tail of fewer than a vector.
    [InlineData(2, 6, 17, 19, 5, 1e-4f, 0.75f, 2f, 20f)]
    [InlineData(1, 4, 23, 13, 3, 0.5f, 0.6f, 1f, 1f)]
    [InlineData(2, 3, 23, 25, 5, 1e-4f, 0.75f, 2f, 20f)] // two strips, the last one wider than 256
    // More channels than the window, even size (window not centred), a plane of one position (tail only).
    [InlineData(3, 19, 3, 5, 4, 0.2f, 0.75f, 1f, 2f)]
    [InlineData(2, 11, 1, 1, 5, 1e-2f, 0.75f, 2f, 10f)]
    public void FastMatchesReference(int n, int c, int h, int w, int size, float alpha, float beta, float k, float scale)
    {
        var g = new LrnGeometry(n, c, h, w, size, alpha, beta, k);
        var random = new Random(c * 31 + size);
        var x = TensorAssert.Random(random, n, c, h, w).Data.Select(v => v * scale).ToArray();
        var dy = TensorAssert.Random(random, n, c, h, w).Data;
        var (yReference, dxReference) = (new float[x.Length], new float[x.Length]);
        LocalResponseNormReference.Forward(x, yReference, g);
        LocalResponseNormReference.Backward(x, dy, dxReference, g);
        // Every vector width the machine has (16, 8 and 4 lanes), so the narrower fallbacks are covered too.
        foreach (var lanes in new[] { 4, 8, 16 }.Where(lanes => lanes <= LocalResponseNorm.BestLanes))
        {
            var (yFast, dxFast) = (new float[x.Length], new float[x.Length]);
            LocalResponseNorm.Forward(x, yFast, g, lanes);
            TensorAssert.Close(yReference, yFast, 1e-5, $"y ({lanes} lanes)");
            LocalResponseNorm.Backward(x, dy, dxFast, g, lanes);
            TensorAssert.Close(dxReference, dxFast, 1e-5, $"dx ({lanes} lanes)");
        }
    }

    /// <summary>
    /// The strips for 5-channel windows give bit for bit the general ring strips' results: by rows (backward up to
    /// 64 channels, in parts of 128 positions) and down the channels (backward on more).
    /// </summary>
    [Theory]
    [InlineData(2, 3, 23, 25)] // two strips of 256 and 319 positions: parts of 128 with a wider last one
    [InlineData(3, 7, 5, 6)]
    [InlineData(2, 64, 13, 13)]
    [InlineData(1, 65, 9, 9)]
    [InlineData(1, 96, 11, 13)]
    public void FiveChannelStripsEqualTheGeneralOnesBitForBit(int n, int c, int h, int w)
    {
        var g = new LrnGeometry(n, c, h, w, 5, 1e-4f, 0.75f, 2f);
        var random = new Random(c);
        var x = TensorAssert.Random(random, n, c, h, w).Data.Select(v => v * 20).ToArray();
        var dy = TensorAssert.Random(random, n, c, h, w).Data;
        foreach (var lanes in new[] { 4, 8 }.Where(lanes => lanes <= LocalResponseNorm.BestLanes))
        {
            var (y, yGeneral, dx, dxGeneral) = (new float[x.Length], new float[x.Length], new float[x.Length], new float[x.Length]);
            LocalResponseNorm.Forward(x, y, g, lanes);
            LocalResponseNorm.Forward(x, yGeneral, g, lanes, fiveChannelStrips: false);
            LocalResponseNorm.Backward(x, dy, dx, g, lanes);
            LocalResponseNorm.Backward(x, dy, dxGeneral, g, lanes, fiveChannelStrips: false);
            Assert.Equal(yGeneral, y);
            Assert.Equal(dxGeneral, dx);
        }
    }
}
