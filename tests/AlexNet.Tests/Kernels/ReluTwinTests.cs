using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>The chunked SIMD ReLU against the one-element-at-a-time definition, on lengths that leave tails.</summary>
public sealed class ReluTwinTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(65_536 * 2 + 37)]
    public void FastMatchesReferenceExactly(int length)
    {
        var random = new Random(length);
        var x = TensorAssert.Random(random, length).Data;
        // Zeros of both signs take the zero branch in both kernels.
        if (length > 2) (x[0], x[1]) = (0f, -0f);
        var dy = TensorAssert.Random(random, length).Data;
        var (yFast, yReference) = (new float[length], new float[length]);
        Relu.Forward(x, yFast);
        ReluReference.Forward(x, yReference);
        Assert.Equal(yReference, yFast);
        var (dxFast, dxReference) = (new float[length], new float[length]);
        Relu.Backward(yFast, dy, dxFast);
        ReluReference.Backward(yReference, dy, dxReference);
        Assert.Equal(dxReference, dxFast);
        if (length > 2)
        {
            Assert.Contains(dxFast, v => v == 0f);
            Assert.Contains(dxFast, v => v != 0f);
        }
    }

    [Fact]
    public void WorksInPlace()
    {
        var random = new Random(3);
        var x = TensorAssert.Random(random, 1001).Data;
        var expected = new float[x.Length];
        ReluReference.Forward(x, expected);
        Relu.Forward(x, x);
        Assert.Equal(expected, x);
    }
}
