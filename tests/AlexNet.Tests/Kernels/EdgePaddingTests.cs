using AlexNet.Kernels;
using AlexNet.Layers;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// A convolution padded more after the data than before it (TensorFlow's 'same' on a strided convolution) against the
/// plain convolution of an input padded by hand, forward and backward; and by central differences.
/// </summary>
public sealed class EdgePaddingTests
{
    [Theory]
    [InlineData(1, 3, 4, 11, 4, 3, 4, 32, 1)] // keras-cifar10's conv1
    [InlineData(3, 4, 6, 3, 2, 0, 1, 9, 2)]
    [InlineData(2, 2, 2, 2, 2, 0, 1, 5, 1)]
    public void UnequalPaddingEqualsTheConvolutionOfAnInputPaddedByHand(int batch, int inChannels, int outChannels, int kernel, int stride, int before,
        int after, int size, int groups)
    {
        var layer = new ConvolutionLayer("conv", inChannels, outChannels, kernel, stride, before, groups, paddingEnd: after);
        var random = new Random(size);
        TensorAssert.Random(random, layer.Weight.Shape.ToArray()).Data.CopyTo(layer.Weight.Value.Data, 0);
        TensorAssert.Random(random, layer.Bias.Shape.ToArray()).Data.CopyTo(layer.Bias.Value.Data, 0);
        var x = TensorAssert.Random(random, batch, inChannels, size, size);

        // By hand: before + size + after on each axis, then a convolution with no padding.
        var padded = size + before + after;
        var xPadded = new float[batch * inChannels * padded * padded];
        for (var plane = 0; plane < batch * inChannels; plane++)
        for (var row = 0; row < size; row++)
        for (var column = 0; column < size; column++)
        {
            xPadded[(plane * padded + row + before) * padded + column + before] = x.Data[(plane * size + row) * size + column];
        }
        var g = new Conv2dGeometry(batch, inChannels, padded, padded, outChannels, kernel, stride, 0, groups);
        var expected = new float[batch * outChannels * g.P * g.Q];
        ConvolutionReference.Forward(xPadded, layer.Weight.Value.Data, layer.Bias.Value.Data, expected, g);

        var y = layer.Forward(x, new ForwardContext(true));
        Assert.Equal(new Shape(batch, outChannels, g.P, g.Q), y.Shape);
        TensorAssert.Close(expected, y.Data, 1e-5, "y");

        var dy = TensorAssert.Random(random, y.Shape.ToArray());
        var (dxPadded, dw, db) = (new float[xPadded.Length], new float[layer.Weight.Value.Length], new float[outChannels]);
        ConvolutionReference.Backward(xPadded, layer.Weight.Value.Data, dy.Data, dxPadded, dw, db, g);
        var dx = layer.Backward(dy);
        var dxExpected = new float[x.Length];
        for (var plane = 0; plane < batch * inChannels; plane++)
        for (var row = 0; row < size; row++)
        for (var column = 0; column < size; column++)
        {
            dxExpected[(plane * size + row) * size + column] = dxPadded[(plane * padded + row + before) * padded + column + before];
        }
        TensorAssert.Close(dxExpected, dx.Data, 1e-5, "dx");
        TensorAssert.Close(dw, layer.Weight.Gradient.Data, 1e-5, "dw");
        TensorAssert.Close(db, layer.Bias.Gradient.Data, 1e-5, "db");
    }

    [Fact]
    public void GradientsPassCentralDifferences()
    {
        var layer = new ConvolutionLayer("conv", 2, 3, kernel: 3, stride: 2, padding: 0, paddingEnd: 1);
        var random = new Random(3);
        TensorAssert.Random(random, layer.Weight.Shape.ToArray()).Data.CopyTo(layer.Weight.Value.Data, 0);
        GradientCheck.Check(layer, TensorAssert.Random(random, 2, 2, 6, 6));
    }

    [Fact]
    public void LessPaddingAfterThanBeforeIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConvolutionLayer("conv4", 1, 1, 3, padding: 2, paddingEnd: 1));
        Assert.Contains("conv4", error.Message);
    }
}
