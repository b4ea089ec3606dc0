using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// LRN on nChw8c blocks against the planar kernels: the data is re-laid into blocks, normalized and compared back.
/// The blocked kernel adds the same terms in the same order as the planar one, so outputs and input gradients must be
/// equal to the last bit; both are also held to the element-by-element formula.
/// </summary>
public sealed class BlockedLocalResponseNormTwinTests
{
    [Theory]
    [InlineData(1, 8, 3, 3, 2f, 20f)]      // one block: every window reaches past both ends
    [InlineData(2, 16, 5, 6, 2f, 20f)]     // the window crosses from block to block
    [InlineData(3, 32, 7, 7, 1f, 5f)]      // mini's norm1 channels, planes narrower than a strip
    [InlineData(2, 24, 17, 19, 2f, 20f)]   // planes of several strips with a wider last one
    [InlineData(1, 64, 13, 13, 2f, 20f)]   // mini's norm2
    [InlineData(4, 8, 1, 1, 2f, 10f)]      // a plane of one position
    public void MatchesThePlanarKernelBitForBit(int n, int c, int h, int w, float k, float scale)
    {
        Assert.True(BlockedLocalResponseNorm.IsSupported, "this suite runs on x86-64 machines with AVX2");
        var g = new LrnGeometry(n, c, h, w, 5, 1e-4f * scale, 0.75f, k);
        var random = new Random(n * 100 + c + h);
        var x = TensorAssert.Random(random, n, c, h, w).Data.Select(v => v * scale).ToArray();
        var dy = TensorAssert.Random(random, n, c, h, w).Data;

        var (y, dx) = (new float[x.Length], new float[x.Length]);
        LocalResponseNorm.Forward(x, y, g, lanes: 8);
        LocalResponseNorm.Backward(x, dy, dx, g, lanes: 8);
        var (yReference, dxReference) = (new float[x.Length], new float[x.Length]);
        LocalResponseNormReference.Forward(x, yReference, g);
        LocalResponseNormReference.Backward(x, dy, dxReference, g);

        var plane = h * w;
        var (yBlocked, dxBlocked) = (new float[x.Length], new float[x.Length]);
        BlockedLocalResponseNorm.Forward(ChannelBlocks.ToBlocks(x, n, c, plane), yBlocked, g);
        BlockedLocalResponseNorm.Backward(ChannelBlocks.ToBlocks(x, n, c, plane), ChannelBlocks.ToBlocks(dy, n, c, plane), dxBlocked, g);

        Assert.Equal(y, ChannelBlocks.FromBlocks(yBlocked, n, c, plane));
        Assert.Equal(dx, ChannelBlocks.FromBlocks(dxBlocked, n, c, plane));
        TensorAssert.Close(yReference, ChannelBlocks.FromBlocks(yBlocked, n, c, plane), 1e-5, "y");
        TensorAssert.Close(dxReference, ChannelBlocks.FromBlocks(dxBlocked, n, c, plane), 1e-5, "dx");
    }

    [Fact]
    public void ShapesItDoesNotComputeAreRefused()
    {
        Assert.False(BlockedLocalResponseNorm.Takes(new LrnGeometry(1, 12, 4, 4, 5, 1e-4f, 0.75f, 2f)));
        Assert.False(BlockedLocalResponseNorm.Takes(new LrnGeometry(1, 16, 4, 4, 3, 1e-4f, 0.75f, 2f)));
        var g = new LrnGeometry(1, 16, 4, 4, 3, 1e-4f, 0.75f, 2f);
        var error = Assert.Throws<ArgumentException>(() => BlockedLocalResponseNorm.Forward(new float[256], new float[256], g));
        Assert.Contains("window of 5", error.Message);
    }
}
