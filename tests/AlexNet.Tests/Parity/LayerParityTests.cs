using AlexNet.Layers;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;
using static AlexNet.Tests.Parity.LayerFixtureCheck;

namespace AlexNet.Tests.Parity;

/// <summary>
/// Each managed layer's output and gradients against PyTorch 1.13 (fixtures from tests/make_parity_fixtures.py),
/// within float32 tolerance: relative 1e-4 of the largest expected magnitude.
/// </summary>
public sealed class LayerParityTests
{
    private static (Tensor, Tensor?) Managed(Layer layer, Tensor x, Tensor dy)
    {
        var y = layer.Forward(x, new ForwardContext(true));
        return (y, layer.Backward(dy));
    }

    [Theory]
    [InlineData("conv_grouped")]
    [InlineData("conv_stride")]
    [InlineData("conv_alexnet1")]
    public void Convolution(string fixture) => Compare(LayerFixtureCheck.Convolution(fixture), fixture, Managed);

    [Theory]
    [InlineData("lrn_paper")]
    [InlineData("lrn_strong")]
    [InlineData("lrn_caffe")]
    public void LocalResponseNormalization(string fixture) => Compare(LocalResponseNorm(fixture), fixture, Managed);

    [Theory]
    [InlineData("maxpool")]
    [InlineData("maxpool_even")]
    public void MaxPooling(string fixture) => Compare(MaxPool(), fixture, Managed);

    [Theory]
    [InlineData("adaptive_avgpool")]
    [InlineData("adaptive_avgpool_up")]
    public void AdaptiveAveragePooling(string fixture) => Compare(AdaptiveAveragePool(), fixture, Managed);

    [Fact]
    public void Linear() => Compare(LayerFixtureCheck.Linear(), "linear", Managed);

    [Fact]
    public void Relu() => Compare(LayerFixtureCheck.Relu(), "relu", Managed);

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
