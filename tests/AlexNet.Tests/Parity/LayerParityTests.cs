using AlexNet.Layers;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Parity;

/// <summary>
/// Each layer's output and gradients against PyTorch 1.13 (fixtures from tests/make_parity_fixtures.py),
/// within float32 tolerance: relative 1e-4 of the largest expected magnitude.
/// </summary>
public sealed class LayerParityTests
{
    private const double Tolerance = 1e-4;

    private static void Compare(Layer layer, string fixture, bool hasParameters)
    {
        var f = Fixtures.Parity(fixture);
        if (hasParameters)
        {
            f["weight"].Data.CopyTo(layer.Parameters[0].Value.Data, 0);
            f["bias"].Data.CopyTo(layer.Parameters[1].Value.Data, 0);
        }
        var y = layer.Forward(f["x"], new ForwardContext(true));
        TensorAssert.Close(f["y"], y, Tolerance, $"{fixture} y");
        var dx = layer.Backward(f["dy"]);
        TensorAssert.Close(f["dx"], dx, Tolerance, $"{fixture} dx");
        if (hasParameters)
        {
            TensorAssert.Close(f["dweight"], layer.Parameters[0].Gradient, Tolerance, $"{fixture} dweight");
            TensorAssert.Close(f["dbias"], layer.Parameters[1].Gradient, Tolerance, $"{fixture} dbias");
        }
    }

    [Theory]
    [InlineData("conv_grouped")]
    [InlineData("conv_stride")]
    [InlineData("conv_alexnet1")]
    public void Convolution(string fixture)
    {
        var f = Fixtures.Parity(fixture);
        Compare(new ConvolutionLayer("conv", f.Int("in_channels"), f.Int("out_channels"), f.Int("kernel"), f.Int("stride"), f.Int("padding"), f.Int("groups")),
            fixture, hasParameters: true);
    }

    [Theory]
    [InlineData("lrn_paper")]
    [InlineData("lrn_strong")]
    [InlineData("lrn_caffe")]
    public void LocalResponseNormalization(string fixture)
    {
        var f = Fixtures.Parity(fixture);
        Compare(new LrnLayer("lrn", f.Int("size"), f.Float("alpha"), f.Float("beta"), f.Float("k")), fixture, hasParameters: false);
    }

    [Theory]
    [InlineData("maxpool")]
    [InlineData("maxpool_even")]
    public void MaxPooling(string fixture) => Compare(new MaxPoolLayer("pool", 3, 2), fixture, hasParameters: false);

    [Theory]
    [InlineData("adaptive_avgpool")]
    [InlineData("adaptive_avgpool_up")]
    public void AdaptiveAveragePooling(string fixture) => Compare(new AdaptiveAvgPoolLayer("avgpool", 6, 6), fixture, hasParameters: false);

    [Fact]
    public void Linear() => Compare(new LinearLayer("fc", 10, 7), "linear", hasParameters: true);

    [Fact]
    public void Relu() => Compare(new ReluLayer("relu"), "relu", hasParameters: false);

    [Fact]
    public void CrossEntropy()
    {
        var f = Fixtures.Parity("cross_entropy");
        var gradient = new Tensor(f["x"].Shape);
        var loss = SoftmaxCrossEntropy.Loss(f["x"], f.Labels(), gradient);
        Assert.Equal(f["loss"].Data[0], loss, 1e-5f);
        TensorAssert.Close(f["dx"], gradient, Tolerance, "cross-entropy dlogits");
    }
}
