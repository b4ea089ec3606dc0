using AlexNet.Layers;
using AlexNet.Models;
using Xunit;

namespace AlexNet.Tests.Models;

public sealed class CaffeArchitectureTests
{
    [Theory]
    [InlineData(Architecture.Caffe)]
    [InlineData(Architecture.CaffeNet)]
    public void CaffeModelsHaveThePapersParametersAndInput(Architecture architecture)
    {
        var network = ModelFactory.Build(new ModelConfig(architecture));
        Assert.Equal(60_965_224L, network.ParameterCount); // bvlc_alexnet's count, the same as the paper's layout
        Assert.Equal(227, network.Config.InputSize);
        Assert.All(network.Layers.OfType<LrnLayer>(), lrn => Assert.Equal(1f, lrn.K));
        Assert.Equal([1, 2, 1, 2, 2], network.Layers.OfType<ConvolutionLayer>().Select(c => c.Groups));
    }

    [Theory]
    [InlineData(Architecture.Caffe, new[] { "conv1", "relu1", "norm1", "pool1", "conv2", "relu2", "norm2", "pool2" })]
    [InlineData(Architecture.CaffeNet, new[] { "conv1", "relu1", "pool1", "norm1", "conv2", "relu2", "pool2", "norm2" })]
    public void CaffeNetPoolsBeforeItNormalizes(Architecture architecture, string[] firstLayers)
    {
        var network = ModelFactory.Build(new ModelConfig(architecture, Classes: 10, Widths: new LayerWidths(8, 16, 16, 16, 8, 32)));
        Assert.Equal(firstLayers, network.Layers.Take(8).Select(l => l.Name));
    }

    [Fact]
    public void CaffeNetNormalizesThePooledMap()
    {
        var summary = ModelFactory.Build(new ModelConfig(Architecture.CaffeNet, Classes: 10, Widths: new LayerWidths(8, 16, 16, 16, 8, 32))).Summary.ToDictionary(s => s.Name);
        Assert.Equal(new Tensors.Shape(8, 27, 27), summary["norm1"].OutputShape);
        Assert.Equal(new Tensors.Shape(16, 13, 13), summary["norm2"].OutputShape);
    }

    [Fact]
    public void CaffeInitializationFollowsItsFillers()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Caffe, Classes: 10, Widths: new LayerWidths(8, 16, 16, 16, 8, 32)), seed: 5);
        Assert.True(network.TryGetParameter("conv2.bias", out var conv2Bias));
        Assert.All(conv2Bias.Value.Data, v => Assert.Equal(0.1f, v));
        Assert.True(network.TryGetParameter("conv3.bias", out var conv3Bias));
        Assert.All(conv3Bias.Value.Data, v => Assert.Equal(0f, v));
        Assert.True(network.TryGetParameter("fc6.weight", out var fc6));
        var std = Math.Sqrt(fc6.Value.Data.Average(v => (double)v * v));
        Assert.InRange(std, 0.0045, 0.0055);
    }

    [Theory]
    [InlineData("caffe", Architecture.Caffe)]
    [InlineData("CaffeNet", Architecture.CaffeNet)]
    public void NamesParse(string name, Architecture expected) => Assert.Equal(expected, ArchitectureNames.Parse(name));
}
