using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// Max pooling on nChw8c blocks against the plain twin on NCHW planes: the data is re-laid into blocks (channel
/// counts that are not a multiple of 8 leave zero padding lanes, as oneDNN's layout does), pooled and compared back,
/// outputs and input gradients exactly, on odd sizes, with ties (ReLU's zeros) and NaN.
/// </summary>
public sealed class BlockedMaxPoolingTwinTests
{
    [Theory]
    [InlineData(1, 8, 7, 7, 3, 2)]
    [InlineData(3, 13, 9, 11, 3, 2)]
    [InlineData(2, 5, 6, 8, 2, 2)]
    [InlineData(2, 16, 10, 10, 3, 1)]
    [InlineData(1, 9, 13, 13, 4, 3)]
    public void MatchesThePlainTwin(int n, int c, int h, int w, int window, int stride)
    {
        var random = new Random(n * 100 + c);
        var x = TensorAssert.Random(random, n, c, h, w).Data;
        for (var i = 0; i < x.Length; i++)
        {
            if (i % 3 == 0) x[i] = 0f; // ties, as after ReLU
        }
        x[5] = float.NaN;
        var (p, q) = MaxPooling.OutputSize(h, w, window, stride);
        var dy = TensorAssert.Random(random, n, c, p, q).Data;

        var (y, argmax, dx) = (new float[n * c * p * q], new int[n * c * p * q], new float[x.Length]);
        MaxPoolingReference.Forward(x, y, argmax, n * c, h, w, window, stride);
        MaxPoolingReference.Backward(dy, argmax, dx, n * c, h * w, p * q);

        var blocks = n * ((c + 7) / 8);
        var (yBlocked, winners, dxBlocked) = (new float[blocks * p * q * 8], new int[blocks * p * q * 8], new float[blocks * h * w * 8]);
        BlockedMaxPooling.Forward(ChannelBlocks.ToBlocks(x, n, c, h * w), yBlocked, winners, blocks, h, w, window, stride);
        BlockedMaxPooling.Backward(ChannelBlocks.ToBlocks(dy, n, c, p * q), winners, dxBlocked, blocks, h, w, window, stride);

        Assert.Equal(y, ChannelBlocks.FromBlocks(yBlocked, n, c, p * q));
        Assert.Equal(dx, ChannelBlocks.FromBlocks(dxBlocked, n, c, h * w));
        Assert.All(PaddingLanes(dxBlocked, n, c, h * w), v => Assert.Equal(0f, v));
    }

    private static IEnumerable<float> PaddingLanes(float[] blocked, int n, int c, int plane)
    {
        for (var i = 0; i < n; i++)
        for (var k = c; k < (c + 7) / 8 * 8; k++)
        for (var at = 0; at < plane; at++)
        {
            yield return blocked[((i * ((c + 7) / 8) + k / 8) * plane + at) * 8 + k % 8];
        }
    }
}
