using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// The direct (padded-plane) stride-1 convolution against its nested-loop twin, with every instruction set the
/// machine has (AVX-512 32/16-lane tiles, AVX2 and scalar 8-lane tiles) and both lane layouts (positions,
/// channels), on shapes that straddle the tile edges.
/// </summary>
public sealed class DirectConvolutionTwinTests
{
    // (n, c, h, w, k, r, padding, groups): batch 1 and odd batches (and more than one 8-sample weight chunk), filter
    // and channel counts that are not multiples of 8, grids that are not multiples of 8, 16 or 32 lanes, no padding
    // and the largest padding (R − 1), groups, 1×1 kernels, rectangular planes, and MiniAlexNet's conv2 and conv3.
    public static readonly TheoryData<int, int, int, int, int, int, int, int> Shapes = new()
    {
        { 1, 3, 7, 9, 5, 3, 1, 1 },
        { 3, 4, 9, 11, 6, 3, 0, 2 },
        { 3, 6, 5, 5, 9, 5, 2, 3 },
        { 1, 2, 13, 13, 4, 3, 2, 2 },
        { 3, 1, 6, 8, 5, 1, 0, 1 },
        { 2, 4, 7, 6, 12, 4, 3, 4 },
        { 11, 5, 6, 6, 17, 3, 1, 1 },
        { 9, 1, 28, 28, 32, 5, 2, 1 },
        { 2, 32, 13, 13, 64, 5, 2, 2 },
        { 3, 64, 6, 6, 96, 3, 1, 1 },
        { 1, 2, 3, 40, 3, 3, 1, 1 },
    };

    /// <summary>Every instruction set of the managed kernels that this machine accelerates.</summary>
    internal static IEnumerable<Gemm.Isa> Isas() =>
        new[] { Gemm.Isa.Scalar, Gemm.Isa.Vector256, Gemm.Isa.Vector512 }.Where(isa => isa <= Gemm.BestIsa);

    public static TheoryData<int, int, int, int, int, int, int, int, int> ShapesAndIsas()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, int, int>();
        foreach (var s in (IEnumerable<object[]>)Shapes)
        foreach (var isa in Isas())
        {
            data.Add((int)s[0], (int)s[1], (int)s[2], (int)s[3], (int)s[4], (int)s[5], (int)s[6], (int)s[7], (int)isa);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ShapesAndIsas))]
    public void MatchesReference(int n, int c, int h, int w, int k, int r, int padding, int groups, int isa)
    {
        var g = new Conv2dGeometry(n, c, h, w, k, r, 1, padding, groups);
        var data = Operands.Make(g, seed: n * 1000 + c * 100 + k + isa);

        var yReference = new float[n * k * g.OutputPlane];
        ConvolutionReference.Forward(data.X, data.W, data.B, yReference, g);
        var dxReference = new float[data.X.Length];
        var (dwReference, dbReference) = (Enumerable.Repeat(0.25f, data.W.Length).ToArray(), Enumerable.Repeat(-0.5f, k).ToArray());
        ConvolutionReference.Backward(data.X, data.W, data.Dy, dxReference, dwReference, dbReference, g);

        foreach (var lanes in new[] { CorrelationLanes.Positions, CorrelationLanes.Channels })
        {
            var yFast = Enumerable.Repeat(7f, yReference.Length).ToArray();
            DirectConvolution.Forward(data.X, data.W, data.B, yFast, g, (Gemm.Isa)isa, lanes: lanes);
            TensorAssert.Close(yReference, yFast, 1e-5, $"y ({lanes})");

            // Gradients accumulate into dw and db, so start both from the same non-zero values; dx is overwritten.
            var (dwFast, dbFast) = (Enumerable.Repeat(0.25f, data.W.Length).ToArray(), Enumerable.Repeat(-0.5f, k).ToArray());
            var dxFast = Enumerable.Repeat(9f, data.X.Length).ToArray();
            DirectConvolution.Backward(data.X, data.W, data.Dy, dxFast, dwFast, dbFast, g, (Gemm.Isa)isa, lanes: lanes);
            TensorAssert.Close(dxReference, dxFast, 1e-5, $"dx ({lanes})");
            TensorAssert.Close(dwReference, dwFast, 1e-5, $"dw ({lanes})");
            TensorAssert.Close(dbReference, dbFast, 1e-5, $"db ({lanes})");
        }
    }

    // (n, c, h, w, k, r, stride, padding, groups): AlexNet's conv1 shape at a small size (11×11, stride 4, no padding),
    // strides 2 and 3 with padding, rectangular planes, groups, filter counts that are not multiples of 8, and kernels
    // narrower than the stride (phases that no tap reads).
    public static readonly TheoryData<int, int, int, int, int, int, int, int, int> StridedShapes = new()
    {
        { 2, 3, 23, 23, 10, 11, 4, 0, 1 },
        { 3, 3, 19, 17, 9, 5, 2, 2, 1 },
        { 1, 4, 12, 15, 6, 3, 3, 1, 2 },
        { 2, 2, 9, 9, 26, 4, 2, 3, 1 },
        { 9, 1, 10, 11, 33, 2, 3, 0, 1 },
    };

    public static TheoryData<int, int, int, int, int, int, int, int, int, int> StridedShapesAndIsas()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, int, int, int>();
        foreach (var s in (IEnumerable<object[]>)StridedShapes)
        foreach (var isa in Isas())
        {
            data.Add((int)s[0], (int)s[1], (int)s[2], (int)s[3], (int)s[4], (int)s[5], (int)s[6], (int)s[7], (int)s[8], (int)isa);
        }
        return data;
    }

    /// <summary>Strided layers (no input gradient, as a first layer): forward and weight and bias gradients.</summary>
    [Theory]
    [MemberData(nameof(StridedShapesAndIsas))]
    public void StridedForwardAndWeightGradientMatchReference(int n, int c, int h, int w, int k, int r, int stride, int padding, int groups, int isa)
    {
        var g = new Conv2dGeometry(n, c, h, w, k, r, stride, padding, groups);
        var data = Operands.Make(g, seed: n * 1000 + c * 100 + k + stride + isa);
        var yReference = new float[n * k * g.OutputPlane];
        ConvolutionReference.Forward(data.X, data.W, data.B, yReference, g);
        var (dwReference, dbReference) = (Enumerable.Repeat(0.25f, data.W.Length).ToArray(), Enumerable.Repeat(-0.5f, k).ToArray());
        ConvolutionReference.Backward(data.X, data.W, data.Dy, [], dwReference, dbReference, g);

        foreach (var lanes in new[] { CorrelationLanes.Positions, CorrelationLanes.Channels })
        {
            var yFast = Enumerable.Repeat(7f, yReference.Length).ToArray();
            DirectConvolution.Forward(data.X, data.W, data.B, yFast, g, (Gemm.Isa)isa, lanes: lanes);
            TensorAssert.Close(yReference, yFast, 1e-5, $"y ({lanes})");
            var (dwFast, dbFast) = (Enumerable.Repeat(0.25f, data.W.Length).ToArray(), Enumerable.Repeat(-0.5f, k).ToArray());
            DirectConvolution.Backward(data.X, data.W, data.Dy, [], dwFast, dbFast, g, (Gemm.Isa)isa, lanes: lanes);
            TensorAssert.Close(dwReference, dwFast, 1e-5, $"dw ({lanes})");
            TensorAssert.Close(dbReference, dbFast, 1e-5, $"db ({lanes})");
        }
    }

    /// <summary>
    /// Any thread count gives the same bits: batch 19 splits work by sample, batch 1 (one group) also by runs of filter
    /// panels, channel tiles and weight-gradient taps, whose number follows the thread count.
    /// </summary>
    [Theory]
    [InlineData(19, 2)]
    [InlineData(1, 1)]
    public void OneThreadGivesBitwiseTheResultsOfAllCores(int batch, int groups)
    {
        var g = new Conv2dGeometry(batch, 8, 13, 13, 40, 5, 1, 2, groups);
        var data = Operands.Make(g, seed: 5);
        foreach (var lanes in new[] { CorrelationLanes.Positions, CorrelationLanes.Channels })
        {
            var results = new List<float[][]>();
            foreach (var threads in new[] { 1, 2, 3, -1 })
            {
                var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
                var y = new float[g.N * g.K * g.OutputPlane];
                var (dx, dw, db) = (new float[data.X.Length], new float[data.W.Length], new float[g.K]);
                DirectConvolution.Forward(data.X, data.W, data.B, y, g, Gemm.BestIsa, options, lanes);
                DirectConvolution.Backward(data.X, data.W, data.Dy, dx, dw, db, g, Gemm.BestIsa, options, lanes);
                results.Add([y, dx, dw, db]);
            }
            foreach (var other in results.Skip(1))
            {
                for (var i = 0; i < other.Length; i++) Assert.Equal(results[0][i], other[i]); // exact, bit for bit
            }
        }
    }

    [Fact]
    public void ConvolutionTakesTheDirectRouteForSmallPaddingAndStridedLayersOnlyWithoutInputGradient()
    {
        Assert.True(DirectConvolution.Handles(new Conv2dGeometry(1, 3, 8, 8, 4, 3, 1, 2, 1)));
        Assert.False(DirectConvolution.Handles(new Conv2dGeometry(1, 3, 8, 8, 4, 3, 2, 1, 1)));
        Assert.False(DirectConvolution.Handles(new Conv2dGeometry(1, 3, 8, 8, 4, 3, 1, 3, 1)));
        var strided = new Conv2dGeometry(1, 3, 8, 8, 4, 3, 2, 1, 1);
        Assert.True(DirectConvolution.Handles(strided, inputGradient: false, Gemm.Isa.Scalar));
        var tooMuchPadding = Assert.Throws<ArgumentException>(() => DirectConvolution.Forward(
            new float[3 * 64], new float[4 * 27], new float[4], new float[4 * 36], new Conv2dGeometry(1, 3, 8, 8, 4, 3, 1, 3, 1), Gemm.BestIsa));
        Assert.Contains("padding below the kernel size", tooMuchPadding.Message);
        var inputGradient = Assert.Throws<ArgumentException>(() => DirectConvolution.Backward(
            new float[3 * 64], new float[4 * 27], new float[4 * 16], new float[3 * 64], new float[4 * 27], new float[4], strided, Gemm.BestIsa));
        Assert.Contains("no input gradient for stride 2", inputGradient.Message);
    }

    private sealed record Operands(float[] X, float[] W, float[] B, float[] Dy)
    {
        public static Operands Make(Conv2dGeometry g, int seed)
        {
            var random = new Random(seed);
            return new Operands(
                TensorAssert.Random(random, g.N, g.C, g.H, g.W).Data,
                TensorAssert.Random(random, g.K, g.ChannelsPerGroup, g.R, g.R).Data,
                TensorAssert.Random(random, g.K).Data,
                TensorAssert.Random(random, g.N, g.K, g.P, g.Q).Data);
        }
    }
}
