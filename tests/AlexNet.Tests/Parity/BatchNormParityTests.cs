using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Parity;

/// <summary>
/// Batch normalization, the unequally padded strided convolution and the whole reduced keras-cifar10 network on the
/// managed backend against PyTorch 1.13 (fixtures from tests/make_batchnorm_fixtures.py).
/// </summary>
public sealed class BatchNormParityTests
{
    private static (Tensor, Tensor?) Managed(Layer layer, Tensor x, Tensor dy)
    {
        var y = layer.Forward(x, new ForwardContext(true));
        return (y, layer.Backward(dy));
    }

    [Theory]
    [InlineData("bn2d_keras")]
    [InlineData("bn2d_torch")]
    [InlineData("bn1d_keras")]
    [InlineData("bn1d_wide")]
    public void BatchNormalization(string fixture) =>
        BatchNormFixtureCheck.Compare(fixture, Managed, (layer, x) => layer.Forward(x, ForwardContext.Inference));

    [Fact]
    public void StridedConvolutionWithMorePaddingAfterThanBefore() =>
        LayerFixtureCheck.Compare(LayerFixtureCheck.Convolution("conv_same_stride"), "conv_same_stride", Managed);

    [Fact]
    public void KerasCifar10LogitsLossGradientsAndRunningStatistics() => KerasFixtureCheck.LogitsLossGradientsAndStatistics(ManagedBackend.Instance);

    [Fact]
    public void KerasCifar10FourSgdSteps() => KerasFixtureCheck.SgdSteps(ManagedBackend.Instance);
}
