using AlexNet.Layers;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Parity;

/// <summary>
/// The PyTorch layer fixtures (tests/make_parity_fixtures.py) as checks any backend can run: the layer each fixture
/// describes, and the comparison of output, input gradient and parameter gradients within relative 1e-4 of the
/// largest expected magnitude.
/// </summary>
public static class LayerFixtureCheck
{
    public const double Tolerance = 1e-4;

    /// <summary>Runs one training forward and the fixture's output gradient backward; returns (output, input gradient).</summary>
    public delegate (Tensor Output, Tensor? InputGradient) Pass(Layer layer, Tensor input, Tensor outputGradient);

    public static void Compare(Layer layer, string fixture, Pass pass)
    {
        var f = Fixtures.Parity(fixture);
        var hasParameters = layer.Parameters.Count > 0;
        if (hasParameters)
        {
            f["weight"].Data.CopyTo(layer.Parameters[0].Value.Data, 0);
            f["bias"].Data.CopyTo(layer.Parameters[1].Value.Data, 0);
        }
        var (y, dx) = pass(layer, f["x"], f["dy"]);
        TensorAssert.Close(f["y"], y.Reshape(f["y"].Shape), Tolerance, $"{fixture} y");
        Assert.NotNull(dx);
        TensorAssert.Close(f["dx"], dx, Tolerance, $"{fixture} dx");
        if (hasParameters)
        {
            TensorAssert.Close(f["dweight"], layer.Parameters[0].Gradient, Tolerance, $"{fixture} dweight");
            TensorAssert.Close(f["dbias"], layer.Parameters[1].Gradient, Tolerance, $"{fixture} dbias");
        }
    }

    public static Layer Convolution(string fixture)
    {
        var f = Fixtures.Parity(fixture);
        // padding_end: the unequal 'same' padding of a strided convolution (tests/make_batchnorm_fixtures.py).
        int? paddingEnd = f.Metadata.ContainsKey("padding_end") ? f.Int("padding_end") : null;
        return new ConvolutionLayer("conv", f.Int("in_channels"), f.Int("out_channels"), f.Int("kernel"), f.Int("stride"), f.Int("padding"), f.Int("groups"),
            paddingEnd);
    }

    public static Layer LocalResponseNorm(string fixture)
    {
        var f = Fixtures.Parity(fixture);
        return new LrnLayer("lrn", f.Int("size"), f.Float("alpha"), f.Float("beta"), f.Float("k"));
    }

    public static Layer MaxPool() => new MaxPoolLayer("pool", 3, 2);

    public static Layer AdaptiveAveragePool() => new AdaptiveAvgPoolLayer("avgpool", 6, 6);

    /// <summary>The layer of the "linear" fixture.</summary>
    public static Layer Linear() => new LinearLayer("fc", 10, 7);

    public static Layer Relu() => new ReluLayer("relu");
}
