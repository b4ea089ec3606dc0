using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// A ReLU fused into its neighbours gives bit for bit what the separate passes give: a convolution that clamps its
/// own output against the same convolution followed by the plain ReLU, on every route (direct with lanes over
/// positions or channels on each instruction set, im2col + GEMM) and on shapes where a small batch splits the
/// filters into runs across tasks; an LRN backward that masks its input gradient against the LRN backward followed
/// by the plain ReLU backward, at every vector width and on both strip shapes.
/// </summary>
public sealed class FusedReluTwinTests
{
    // (n, c, h, w, k, r, padding, groups): odd shapes, MiniAlexNet's conv2, and batch 1 with 40 and 17 filters (several
    // channel tiles, so that a sample's filters are split into runs, each clamping its own planes).
    public static readonly TheoryData<int, int, int, int, int, int, int, int> Shapes = new()
    {
        { 3, 4, 9, 11, 6, 3, 0, 2 },
        { 2, 32, 13, 13, 64, 5, 2, 2 },
        { 1, 4, 9, 9, 40, 3, 1, 1 },
        { 1, 3, 6, 7, 17, 3, 1, 1 },
        { 5, 1, 28, 28, 32, 5, 2, 1 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ConvolutionWithReluEqualsReluAfterConvolution(int n, int c, int h, int w, int k, int r, int padding, int groups)
    {
        var random = new Random(n * 100 + k);
        foreach (var stride in new[] { 1, 2 })
        {
            var g = new Conv2dGeometry(n, c, h, w, k, r, stride, Math.Min(padding, r - 1), groups);
            var x = TensorAssert.Random(random, n, c, h, w).Data;
            var weights = TensorAssert.Random(random, k, c / groups, r, r).Data;
            var bias = TensorAssert.Random(random, k).Data;
            var length = n * k * g.OutputPlane;
            var routes = new List<(string Name, Action<float[], bool> Run)>
            {
                ("dispatch", (y, relu) => Convolution.Forward(x, weights, bias, y, g, relu)),
                ("unfolded", (y, relu) => Convolution.ForwardUnfolded(x, weights, bias, y, g, relu)),
            };
            foreach (var isa in DirectConvolutionTwinTests.Isas())
            foreach (var lanes in new[] { CorrelationLanes.Positions, CorrelationLanes.Channels })
            {
                if (stride > 1 && (!DirectConvolution.Handles(g, inputGradient: false, isa) || lanes == CorrelationLanes.Positions)) continue;
                routes.Add(($"direct {isa} {lanes}", (y, relu) => DirectConvolution.Forward(x, weights, bias, y, g, isa, lanes: lanes, relu: relu)));
            }
            foreach (var (name, run) in routes)
            {
                var (separate, fused) = (new float[length], Enumerable.Repeat(-3f, length).ToArray());
                run(separate, false);
                ReluReference.Forward(separate, separate);
                run(fused, true);
                Assert.True(separate.Any(v => v == 0) && separate.Any(v => v > 0), $"{name}: the test needs outputs on both sides of 0");
                Assert.True(separate.AsSpan().SequenceEqual(fused), $"stride {stride}, {name}: fused ReLU differs from ReLU after the convolution");
            }
        }
    }

    [Theory]
    [InlineData(2, 32, 28, 28)] // MiniAlexNet's norm1 plane: three strips, the last one wider
    [InlineData(3, 7, 5, 6)]
    [InlineData(1, 96, 11, 13)] // more than 64 channels: backward down the channels
    [InlineData(2, 5, 1, 3)] // a plane narrower than a vector
    public void LrnBackwardWithMaskEqualsReluBackwardAfterLrn(int n, int c, int h, int w)
    {
        var g = new LrnGeometry(n, c, h, w, 5, 1e-4f, 0.75f, 2f);
        var random = new Random(c * 7 + w);
        // x is a ReLU's output: zero where its input was negative.
        var x = TensorAssert.Random(random, n, c, h, w).Data.Select(v => Math.Max(v * 20, 0f)).ToArray();
        var dy = TensorAssert.Random(random, n, c, h, w).Data;
        Assert.Contains(0f, x);
        foreach (var lanes in new[] { 4, 8, 16 }.Where(lanes => lanes <= LocalResponseNorm.BestLanes))
        foreach (var fiveChannelStrips in new[] { true, false })
        {
            var (separate, fused) = (new float[x.Length], Enumerable.Repeat(5f, x.Length).ToArray());
            LocalResponseNorm.Backward(x, dy, separate, g, lanes, fiveChannelStrips);
            ReluReference.Backward(x, separate, separate);
            LocalResponseNorm.Backward(x, dy, fused, g, lanes, fiveChannelStrips, maskByPositiveInput: true);
            Assert.True(separate.AsSpan().SequenceEqual(fused), $"{lanes} lanes, five-channel strips {fiveChannelStrips}: masked LRN backward differs");
        }
    }
}
