using AlexNet.Layers;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>
/// A backend may write a gradient instead of adding to it only while the gradient is known to be zero, so every
/// way a gradient becomes non-zero must clear <see cref="Parameter.GradientIsZero"/>.
/// </summary>
public sealed class ParameterGradientFlagTests
{
    [Fact]
    public void GradientIsZeroFromCreationUntilABackwardPassWritesIt()
    {
        var layer = new LinearLayer("fc", 3, 2);
        var input = new Tensor(new Shape(1, 3), [1f, 2f, 3f]);
        Assert.All(layer.Parameters, p => Assert.True(p.GradientIsZero, p.Name));

        layer.Forward(input, new ForwardContext(true, 1, 0));
        layer.Backward(new Tensor(new Shape(1, 2), [1f, -1f]));

        Assert.All(layer.Parameters, p => Assert.False(p.GradientIsZero, p.Name));
        Assert.Contains(layer.Weight.Gradient.Data, g => g != 0f);
    }

    [Fact]
    public void ConvolutionBackwardClearsTheFlagAndZeroGradientSetsIt()
    {
        var layer = new ConvolutionLayer("conv", 1, 2, kernel: 3, stride: 1, padding: 1);
        var input = new Tensor(new Shape(1, 1, 4, 4), Enumerable.Range(0, 16).Select(i => i * 0.1f).ToArray());
        var output = layer.Forward(input, new ForwardContext(true, 1, 0));
        layer.Backward(new Tensor(output.Shape, Enumerable.Repeat(1f, output.Length).ToArray()));
        Assert.All(layer.Parameters, p => Assert.False(p.GradientIsZero, p.Name));

        foreach (var p in layer.Parameters) p.ZeroGradient();

        Assert.All(layer.Parameters, p => Assert.True(p.GradientIsZero, p.Name));
        Assert.All(layer.Parameters, p => Assert.All(p.Gradient.Data, g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void NoteGradientWrittenIsHowOtherWritersReportIt()
    {
        var parameter = new Parameter("w", new Shape(4), ParameterRole.Weight);
        parameter.Gradient.Data[2] = 5f;
        parameter.NoteGradientWritten();
        Assert.False(parameter.GradientIsZero);
    }
}
