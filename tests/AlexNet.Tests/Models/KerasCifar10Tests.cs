using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;
using AlexNet.Tests.Parity;
using Xunit;

namespace AlexNet.Tests.Models;

/// <summary>The keras-cifar10 network as its tutorial lays it out, and its checkpoints.</summary>
public sealed class KerasCifar10Tests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-keras-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>bn6 follows a dense layer (one value per channel of each image), bn1 a convolution's 8×8 planes.</summary>
    [Theory]
    [InlineData(1, 640, "bn6")]
    [InlineData(128, 641, "bn6")]
    [InlineData(128, 640, null)]
    [InlineData(128, 642, null)]
    [InlineData(2, 641, "bn6")]
    [InlineData(2, 640, null)]
    public void BatchNormCannotTrainOnBatchesOfOneImage(int batchSize, int images, string? layer)
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.KerasCifar10, Classes: 10));
        Assert.Equal(layer, network.BatchNormUntrainableOn(batchSize, images)?.Name);
        Assert.Null(ModelFactory.Build(new ModelConfig(Architecture.Mini, Classes: 10, InputChannels: 1, InputSize: 28)).BatchNormUntrainableOn(1, 1));
    }

    [Fact]
    public void LayersShapesAndParameterCountFollowTheKerasModel()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.KerasCifar10, Classes: 10));
        Assert.Equal(new Shape(3, 32, 32), network.InputShape);
        var summary = network.Summary.ToDictionary(s => s.Name);
        Assert.Equal(new Shape(96, 8, 8), summary["conv1"].OutputShape);
        Assert.Equal(new Shape(96, 4, 4), summary["pool1"].OutputShape);
        Assert.Equal(new Shape(256, 4, 4), summary["conv2"].OutputShape);
        Assert.Equal(new Shape(256, 2, 2), summary["pool2"].OutputShape);
        Assert.Equal(new Shape(384, 2, 2), summary["conv4"].OutputShape);
        Assert.Equal(new Shape(256, 1, 1), summary["pool5"].OutputShape);
        Assert.Equal(new Shape(1000), summary["fc8"].OutputShape);
        Assert.Equal(new Shape(10), summary["bn9"].OutputShape);
        Assert.Equal("bn9", network.Layers[^1].Name);
        // Keras's model.summary(): 25,709,350 trainable parameters plus 21,156 non-trainable (the moving statistics).
        Assert.Equal(25_709_350, network.ParameterCount);
        Assert.Equal(21_156, network.Statistics.Sum(s => s.Shape.ElementCount));

        string[] block = ["Conv", "BatchNorm", "ReLU"];
        var kinds = network.Layers.Select(l => l.Description.Split(' ')[0]).ToList();
        Assert.Equal([.. block, "MaxPool", .. block, "MaxPool", .. block, .. block, .. block, "MaxPool", "Flatten"], kinds.Take(19).Select(Short));
        Assert.Equal(["Linear", "BatchNorm", "ReLU", "Dropout", "Linear", "BatchNorm", "ReLU", "Dropout", "Linear", "BatchNorm", "ReLU", "Dropout", "Linear", "BatchNorm"],
            kinds.Skip(19).Select(Short));
        Assert.All(network.Layers.OfType<DropoutLayer>(), d => Assert.Equal(0.4f, d.Probability));
        Assert.All(network.Layers.OfType<BatchNormLayer>(), b => Assert.Equal((0.01f, 1e-3f), (b.Momentum, b.Epsilon)));
        Assert.All(network.Layers.OfType<MaxPoolLayer>(), p => Assert.Equal((2, 2), (p.Window, p.Stride)));
    }

    private static string Short(string description) => description.StartsWith("Conv2d", StringComparison.Ordinal) ? "Conv" : description;

    [Fact]
    public void SamePaddingPutsTheOddPixelOfStrideFourAfterTheData()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.KerasCifar10, Classes: 10));
        var convolutions = network.Layers.OfType<ConvolutionLayer>().ToArray();
        Assert.Equal([(11, 4, 3, 4), (5, 1, 2, 2), (3, 1, 1, 1), (3, 1, 1, 1), (3, 1, 1, 1)],
            convolutions.Select(c => (c.Kernel, c.Stride, c.Padding, c.PaddingEnd)));
        Assert.Equal((0, 1, 3), KerasCifar10.SamePadding(6, 3, 2));
        Assert.Equal((2, 2, 5), KerasCifar10.SamePadding(5, 5, 1));
    }

    [Theory]
    [InlineData(1, 32)]
    [InlineData(3, 64)]
    public void InputChannelsAndSizeAreParameters(int channels, int size)
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.KerasCifar10, 7, channels, size), 1);
        Assert.Equal(new Shape(channels, size, size), network.InputShape);
        Assert.Equal(new Shape(2, 7), network.Forward(new Tensor(2, channels, size, size), ForwardContext.Inference).Shape);
    }

    [Fact]
    public void ASizeThatLeavesAPoolAnOddInputIsRefusedWithTheSize()
    {
        var error = Assert.Throws<AlexNetException>(() => ModelFactory.Build(new ModelConfig(Architecture.KerasCifar10, 10, InputSize: 28)));
        Assert.Contains("Input size 28", error.Message);
        Assert.Contains("pool1", error.Message);
    }

    [Fact]
    public void KerasInitializationIsGlorotUniformWithUnitGammaAndZeroBiases()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.KerasCifar10, 10), seed: 2);
        network.TryGetParameter("fc7.weight", out var fc7);
        var limit = Math.Sqrt(6.0 / (4096 + 4096));
        Assert.All(fc7.Value.Data, v => Assert.InRange(v, -limit, limit));
        Assert.InRange(fc7.Value.Data.Max(), 0.95 * limit, limit);
        network.TryGetParameter("conv1.weight", out var conv1);
        Assert.InRange(conv1.Value.Data.Max(Math.Abs), 0.9 * Math.Sqrt(6.0 / (3 * 121 + 96 * 121)), Math.Sqrt(6.0 / (3 * 121 + 96 * 121)));
        foreach (var norm in network.Layers.OfType<BatchNormLayer>())
        {
            Assert.All(norm.Weight.Value.Data, v => Assert.Equal(1f, v));
            Assert.All(norm.Bias.Value.Data, v => Assert.Equal(0f, v));
            Assert.All(norm.RunningVariance.Value.Data, v => Assert.Equal(1f, v));
        }
        Assert.All(network.Parameters.Where(p => p.Role == ParameterRole.Bias).SelectMany(p => p.Value.Data), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void CheckpointsKeepTheRunningStatistics()
    {
        var network = KerasFixtureCheck.Build();
        network.Forward(new Tensor(3, 3, 32, 32), new ForwardContext(true)); // moves the statistics away from the fixture's
        var path = Path.Combine(_folder, "keras.safetensors");
        var preprocessing = new Preprocessing([0.5f, 0.5f, 0.5f], [0.25f, 0.25f, 0.25f], ChannelOrder.Rgb, 32, 32);
        Checkpoint.Save(path, network, Enumerable.Range(0, 10).Select(i => $"c{i}").ToArray(), preprocessing);

        var file = SafeTensorsFile.Read(path);
        Assert.Contains("bn1.running_mean", file.Tensors.Keys);
        Assert.Contains("bn9.running_var", file.Tensors.Keys);
        var loaded = Checkpoint.Load(path).Network;
        Assert.Equal(network.Config, loaded.Config);
        foreach (var (name, tensor) in network.StoredTensors)
        {
            Assert.True(loaded.TryGetStoredTensor(name, out var read), name);
            Assert.Equal(tensor.Data, read.Data);
        }
        var input = Support.TensorAssert.Random(new Random(1), 2, 3, 32, 32);
        Assert.Equal(network.Forward(input, ForwardContext.Inference).Data, loaded.Forward(input, ForwardContext.Inference).Data);
    }

    [Fact]
    public void MissingRunningStatisticsAreListedLikeMissingWeights()
    {
        var network = KerasFixtureCheck.Build();
        var tensors = network.StoredTensors.Where(t => t.Key != "bn4.running_var").ToDictionary();
        var error = Assert.Throws<AlexNetException>(() => Checkpoint.LoadParameters(network, tensors, "old.safetensors"));
        Assert.Contains("missing 'bn4.running_var' (24)", error.Message);
    }

    [Fact]
    public void ModelMetadataNamingNormalizationWidthsTheFileDoesNotHoldReservesNothing()
    {
        // A 'model' entry claiming a 50-million-feature dense layer (and so its batch normalization's γ, β, running
        // statistics and batch statistics) for a file of a few hundred kilobytes: refused from the shapes alone.
        var network = ModelFactory.Create(new ModelConfig(Architecture.KerasCifar10, 3, 1, 32, new LayerWidths(4, 4, 4, 4, 4, 8, 6)), seed: 1);
        var path = Path.Combine(_folder, "claims.safetensors");
        Checkpoint.Save(path, network, ["a", "b", "c"], new Preprocessing([0.5f], [0.25f], ChannelOrder.Gray, 32, 32));
        var file = SafeTensorsFile.Read(path);
        var metadata = file.Metadata.ToDictionary();
        Assert.Contains("\"last_hidden\":6", metadata["model"]);
        metadata["model"] = metadata["model"].Replace("\"last_hidden\":6", "\"last_hidden\":50000000", StringComparison.Ordinal);
        SafeTensorsFile.Write(path, file.Tensors, metadata);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AlexNetException>(() => Checkpoint.Load(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("(keras-cifar10, widths 4/4/4/4/4/8/50000000", error.Message);
        Assert.Contains("'bn8.running_var' has shape (6), the model needs (50000000)", error.Message);
        Assert.True(allocated < 16 * new FileInfo(path).Length + (8 << 20), $"allocated {allocated:N0} bytes");
    }
}
