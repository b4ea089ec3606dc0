using AlexNet.Layers;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using AlexNet.Tests.Parity;
using Xunit;
using static AlexNet.Tests.Parity.LayerFixtureCheck;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// The PyTorch fixtures that prove the managed layers (tests/make_parity_fixtures.py), run through oneDNN:
/// output, input gradient and parameter gradients within relative 1e-4 of the largest expected magnitude.
/// </summary>
public sealed class FixtureParityTests
{
    private static (Tensor, Tensor?) OneDnn(Layer layer, Tensor x, Tensor dy)
    {
        using var stack = new OneDnnLayerStack([layer], x.Shape.WithoutBatch());
        var y = stack.Forward(x, new ForwardContext(true));
        return (y, stack.Backward(dy));
    }

    [OneDnnTheory]
    [InlineData("conv_grouped")]
    [InlineData("conv_stride")]
    [InlineData("conv_alexnet1")]
    public void Convolution(string fixture) => Compare(LayerFixtureCheck.Convolution(fixture), fixture, OneDnn);

    [OneDnnTheory]
    [InlineData("lrn_paper")]
    [InlineData("lrn_strong")]
    [InlineData("lrn_caffe")]
    public void LocalResponseNormalization(string fixture) => Compare(LocalResponseNorm(fixture), fixture, OneDnn);

    [OneDnnTheory]
    [InlineData("maxpool")]
    [InlineData("maxpool_even")]
    public void MaxPooling(string fixture) => Compare(MaxPool(), fixture, OneDnn);

    [OneDnnTheory]
    [InlineData("adaptive_avgpool")]
    [InlineData("adaptive_avgpool_up")]
    public void AdaptiveAveragePooling(string fixture) => Compare(AdaptiveAveragePool(), fixture, OneDnn);

    [OneDnnFact]
    public void Linear() => Compare(LayerFixtureCheck.Linear(), "linear", OneDnn);

    [OneDnnFact]
    public void Relu() => Compare(LayerFixtureCheck.Relu(), "relu", OneDnn);
}
