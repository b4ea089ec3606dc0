using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Training;

/// <summary>
/// Transfer learning with batch normalization (keras-cifar10): the head is fc9 with its bn9, running statistics are
/// loaded like parameters, and <c>--freeze features</c> takes conv5's normalization with it.
/// </summary>
public sealed class BatchNormFineTuningTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-bn-finetune-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly string[] SourceClasses = ["a", "b", "c", "d"];

    private static ModelConfig SmallKeras(int classes) => new(Architecture.KerasCifar10, classes, InputChannels: 1, InputSize: 32,
        Widths: new LayerWidths(8, 16, 16, 16, 8, 32, 16));

    /// <summary>A checkpoint whose running statistics are far from their initial 0 and 1, as after training.</summary>
    private (string Path, Network Source) SavedKeras()
    {
        var network = ModelFactory.Create(SmallKeras(SourceClasses.Length), seed: 11);
        var random = new Random(5);
        foreach (var statistic in network.Statistics)
        {
            for (var i = 0; i < statistic.Value.Length; i++) statistic.Value.Data[i] = 0.5f + (float)random.NextDouble();
        }
        var path = Path.Combine(_folder, $"keras-{Guid.NewGuid():N}.safetensors");
        Checkpoint.Save(path, network, SourceClasses, new Preprocessing([0.3f], [0.2f], ChannelOrder.Gray, 32, 32));
        return (path, network);
    }

    [Fact]
    public void TheHeadIsTheLastDenseLayerWithItsNormalization()
    {
        Assert.Equal(["fc9", "bn9"], LayerFreezing.Head(ModelFactory.Create(SmallKeras(10), 1)).Select(l => l.Name));
        Assert.Equal(["fc8"], LayerFreezing.Head(ModelFactory.Create(new ModelConfig(Architecture.Mini, 10), 1)).Select(l => l.Name));
    }

    [Fact]
    public void NewClassesGetANewFc9AndBn9AndEveryOtherTensorIsLoadedBitForBit()
    {
        var (path, source) = SavedKeras();
        var log = new List<string>();
        var model = PretrainedModel.ForData(path, ["x", "y", "z"], null, null, seed: 3, log.Add);

        Assert.True(model.NewHead);
        var fresh = ModelFactory.Create(model.Network.Config, seed: 3);
        foreach (var (name, tensor) in model.Network.StoredTensors)
        {
            var isHead = name.StartsWith("fc9.", StringComparison.Ordinal) || name.StartsWith("bn9.", StringComparison.Ordinal);
            Assert.True((isHead ? fresh : source).TryGetStoredTensor(name, out var expected), name);
            Assert.Equal(expected.Data, tensor.Data);
        }
        // The new bn9 starts as PyTorch's and Keras's do: mean 0, variance 1.
        var bn9 = model.Network.Layers.OfType<BatchNormLayer>().Single(l => l.Name == "bn9");
        Assert.All(bn9.RunningMean.Value.Data, v => Assert.Equal(0f, v));
        Assert.All(bn9.RunningVariance.Value.Data, v => Assert.Equal(1f, v));
        Assert.Contains("parameters and 16 of 18 running statistics loaded; the classifier head fc9 and bn9 is new", Assert.Single(log));
    }

    [Fact]
    public void SameClassesLoadEveryParameterAndRunningStatistic()
    {
        var (path, source) = SavedKeras();
        var log = new List<string>();
        var model = PretrainedModel.ForData(path, SourceClasses, null, null, seed: 3, log.Add);
        Assert.False(model.NewHead);
        foreach (var (name, tensor) in model.Network.StoredTensors)
        {
            Assert.True(source.TryGetStoredTensor(name, out var expected), name);
            Assert.Equal(expected.Data, tensor.Data);
        }
        Assert.Contains("parameters and 18 of 18 running statistics loaded", Assert.Single(log));
    }

    [Fact]
    public void RunningStatisticsWithoutAPlaceAreListedWithTheOtherMismatches()
    {
        var (path, _) = SavedKeras();
        var error = Assert.Throws<AlexNetException>(() => PretrainedModel.ForData(path, SourceClasses, Architecture.Mini, null, seed: 1));
        Assert.Contains("the checkpoint's 'bn1.running_mean' has no place in the model", error.Message);
        Assert.Contains("the checkpoint's 'bn8.running_var' has no place in the model", error.Message);
    }

    [Fact]
    public void FreezingFeaturesTakesTheLastConvolutionsNormalization()
    {
        var network = ModelFactory.Create(SmallKeras(10), 1);
        var trainable = LayerFreezing.Apply(network, LayerFreezing.Features);
        Assert.Equal("fc6.weight", trainable[0].Name);
        Assert.DoesNotContain(trainable, p => p.Name.StartsWith("bn5", StringComparison.Ordinal));
        Assert.Contains(trainable, p => p.Name == "bn6.weight");
    }
}
