using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Models;

public sealed class ArchitectureTests
{
    [Theory]
    [InlineData(Architecture.Paper, 1000, 60_965_224L)]
    [InlineData(Architecture.Torchvision, 1000, 61_100_840L)]
    public void ParameterCountsMatchThePublishedFigures(Architecture architecture, int classes, long expected) =>
        Assert.Equal(expected, ModelFactory.Build(new ModelConfig(architecture, classes)).ParameterCount);

    [Fact]
    public void PaperLayerShapesFollowTheTable()
    {
        var summary = ModelFactory.Build(new ModelConfig(Architecture.Paper)).Summary.ToDictionary(s => s.Name);
        Assert.Equal(new Shape(96, 55, 55), summary["conv1"].OutputShape);
        Assert.Equal(new Shape(256, 27, 27), summary["conv2"].OutputShape);
        Assert.Equal(new Shape(256, 6, 6), summary["pool5"].OutputShape);
        Assert.Equal(new Shape(1000), summary["fc8"].OutputShape);
        // The paper's "about 724M" multiply-adds for convolutions and fully connected layers.
        Assert.InRange(summary.Values.Sum(s => s.MultiplyAdds), 720_000_000L, 730_000_000L);
    }

    [Fact]
    public void TorchvisionUsesTorchvisionStateDictNames()
    {
        var names = ModelFactory.Build(new ModelConfig(Architecture.Torchvision)).Parameters.Select(p => p.Name).ToArray();
        string[] expected =
        [
            "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "features.6.weight", "features.6.bias",
            "features.8.weight", "features.8.bias", "features.10.weight", "features.10.bias", "classifier.1.weight", "classifier.1.bias",
            "classifier.4.weight", "classifier.4.bias", "classifier.6.weight", "classifier.6.bias",
        ];
        Assert.Equal(expected, names);
    }

    [Fact]
    public void PaperGroupsAndLrnAreWhereThePaperPutsThem()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.Paper));
        var groups = network.Layers.OfType<ConvolutionLayer>().Select(c => c.Groups).ToArray();
        Assert.Equal([1, 2, 1, 2, 2], groups);
        var lrn = network.Layers.OfType<LrnLayer>().ToArray();
        Assert.Equal(["norm1", "norm2"], lrn.Select(l => l.Name));
        Assert.All(lrn, l => Assert.Equal((5, 1e-4f, 0.75f, 2f), (l.Size, l.Alpha, l.Beta, l.K)));
        var names = network.Layers.Select(l => l.Name).ToList();
        Assert.True(names.IndexOf("relu1") < names.IndexOf("norm1") && names.IndexOf("norm1") < names.IndexOf("pool1"));
    }

    [Fact]
    public void PaperInitializationFollowsSectionFive()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Paper, Classes: 10, Widths: new LayerWidths(16, 32, 48, 48, 32, 64)), seed: 3);
        foreach (var p in network.Parameters)
        {
            var layer = p.Name[..p.Name.IndexOf('.')];
            if (p.Role == ParameterRole.Bias)
            {
                var expected = layer is "conv2" or "conv4" or "conv5" or "fc6" or "fc7" ? 1f : 0f;
                Assert.All(p.Value.Data, v => Assert.Equal(expected, v));
                continue;
            }
            var data = p.Value.Data;
            var mean = data.Average();
            var std = Math.Sqrt(data.Select(v => (v - mean) * (v - mean)).Average());
            Assert.InRange(std, 0.0085, 0.0115);
            Assert.InRange(mean, -0.002, 0.002);
        }
    }

    [Theory]
    [InlineData(1, 28)]
    [InlineData(3, 32)]
    public void MiniTakesSmallImagesWithAnyChannelCount(int channels, int size)
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, 10, channels, size), 1);
        var logits = network.Forward(new Tensor(2, channels, size, size), ForwardContext.Inference);
        Assert.Equal(new Shape(2, 10), logits.Shape);
        Assert.Equal(3, network.Layers.OfType<LrnLayer>().Count() + 1);
        Assert.Equal([1, 2, 1, 2, 2], network.Layers.OfType<ConvolutionLayer>().Select(c => c.Groups));
    }

    [Fact]
    public void ClassCountIsAParameter()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.Torchvision, Classes: 37));
        Assert.Equal(new Shape(37), network.Summary[^1].OutputShape);
    }

    [Fact]
    public void UnknownArchitectureNamesTheValidOnes()
    {
        var error = Assert.Throws<AlexNetException>(() => ArchitectureNames.Parse("vgg"));
        Assert.Contains("'vgg'", error.Message);
        Assert.Contains("paper, torchvision, mini", error.Message);
    }

    [Fact]
    public void TooSmallInputIsReportedWithItsSize()
    {
        var error = Assert.Throws<AlexNetException>(() => ModelFactory.Build(new ModelConfig(Architecture.Paper, InputSize: 40)));
        Assert.Contains("Input size 40", error.Message);
    }

    [Fact]
    public void WrongInputShapeIsRejectedWithTheExpectedShape()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.Mini, 10));
        var error = Assert.Throws<ArgumentException>(() => network.Forward(new Tensor(1, 3, 28, 28), ForwardContext.Inference));
        Assert.Contains("(N, 1, 28, 28)", error.Message);
    }
}
