using AlexNet.Layers;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// The PyTorch fixtures that prove the managed layers (tests/make_parity_fixtures.py), run through oneDNN:
/// output, input gradient and parameter gradients within relative 1e-4 of the largest expected magnitude.
/// </summary>
public sealed class FixtureParityTests
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
        var x = f["x"];
        using var stack = new OneDnnLayerStack([layer], x.Shape.WithoutBatch());
        var y = stack.Forward(x, new ForwardContext(true));
        TensorAssert.Close(f["y"], y.Reshape(f["y"].Shape), Tolerance, $"{fixture} y");
        var dx = stack.Backward(f["dy"]);
        Assert.NotNull(dx);
        TensorAssert.Close(f["dx"], dx, Tolerance, $"{fixture} dx");
        if (hasParameters)
        {
            TensorAssert.Close(f["dweight"], layer.Parameters[0].Gradient, Tolerance, $"{fixture} dweight");
            TensorAssert.Close(f["dbias"], layer.Parameters[1].Gradient, Tolerance, $"{fixture} dbias");
        }
    }

    [OneDnnTheory]
    [InlineData("conv_grouped")]
    [InlineData("conv_stride")]
    [InlineData("conv_alexnet1")]
    public void Convolution(string fixture)
    {
        var f = Fixtures.Parity(fixture);
        Compare(new ConvolutionLayer("conv", f.Int("in_channels"), f.Int("out_channels"), f.Int("kernel"), f.Int("stride"), f.Int("padding"), f.Int("groups")),
            fixture, hasParameters: true);
    }

    [OneDnnTheory]
    [InlineData("lrn_paper")]
    [InlineData("lrn_strong")]
    [InlineData("lrn_caffe")]
    public void LocalResponseNormalization(string fixture)
    {
        var f = Fixtures.Parity(fixture);
        Compare(new LrnLayer("lrn", f.Int("size"), f.Float("alpha"), f.Float("beta"), f.Float("k")), fixture, hasParameters: false);
    }

    [OneDnnTheory]
    [InlineData("maxpool")]
    [InlineData("maxpool_even")]
    public void MaxPooling(string fixture) => Compare(new MaxPoolLayer("pool", 3, 2), fixture, hasParameters: false);

    [OneDnnTheory]
    [InlineData("adaptive_avgpool")]
    [InlineData("adaptive_avgpool_up")]
    public void AdaptiveAveragePooling(string fixture) => Compare(new AdaptiveAvgPoolLayer("avgpool", 6, 6), fixture, hasParameters: false);

    [OneDnnFact]
    public void Linear() => Compare(new LinearLayer("fc", 10, 7), "linear", hasParameters: true);

    [OneDnnFact]
    public void Relu() => Compare(new ReluLayer("relu"), "relu", hasParameters: false);
}
