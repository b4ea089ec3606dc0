using AlexNet.Layers;
using AlexNet.Tensors;
using AlexNet.Tests.Support;

namespace AlexNet.Tests.Parity;

/// <summary>
/// The batch normalization fixtures of tests/make_batchnorm_fixtures.py (PyTorch's BatchNorm2d and BatchNorm1d, Keras's
/// and PyTorch's settings) as checks any backend can run: in training mode the output, input gradient, dγ, dβ and the
/// running statistics after the step; in eval mode the output from those statistics. Relative 1e-4 of the largest
/// expected magnitude.
/// </summary>
public static class BatchNormFixtureCheck
{
    public const double Tolerance = 1e-4;

    /// <summary>Runs one inference forward pass.</summary>
    public delegate Tensor Inference(Layer layer, Tensor input);

    /// <summary>The fixture's layer with its γ, β and starting running statistics.</summary>
    public static BatchNormLayer Layer(string fixture)
    {
        var f = Fixtures.Parity(fixture);
        var layer = new BatchNormLayer("bn", f.Int("features"), f.Float("momentum"), f.Float("eps"));
        f["weight"].Data.CopyTo(layer.Weight.Value.Data, 0);
        f["bias"].Data.CopyTo(layer.Bias.Value.Data, 0);
        f["running_mean"].Data.CopyTo(layer.RunningMean.Value.Data, 0);
        f["running_var"].Data.CopyTo(layer.RunningVariance.Value.Data, 0);
        return layer;
    }

    public static void Compare(string fixture, LayerFixtureCheck.Pass training, Inference inference)
    {
        var f = Fixtures.Parity(fixture);
        var layer = Layer(fixture);
        var (y, dx) = training(layer, f["x"], f["dy"]);
        TensorAssert.Close(f["y"], y, Tolerance, $"{fixture} y");
        Xunit.Assert.NotNull(dx);
        TensorAssert.Close(f["dx"], dx, Tolerance, $"{fixture} dx");
        TensorAssert.Close(f["dweight"], layer.Weight.Gradient, Tolerance, $"{fixture} dweight");
        TensorAssert.Close(f["dbias"], layer.Bias.Gradient, Tolerance, $"{fixture} dbias");
        TensorAssert.Close(f["running_mean_after"], layer.RunningMean.Value, Tolerance, $"{fixture} running_mean");
        TensorAssert.Close(f["running_var_after"], layer.RunningVariance.Value, Tolerance, $"{fixture} running_var");
        TensorAssert.Close(f["y_eval"], inference(layer, f["x_eval"]), Tolerance, $"{fixture} eval-mode y");
    }
}
