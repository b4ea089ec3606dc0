using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tests.Support;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Training;

/// <summary>Starting a model for new data from a checkpoint (train --init), and fine-tuned runs that resume.</summary>
public sealed class PretrainedModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-pretrained-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly string[] SourceClasses = ["a", "b", "c", "d"];

    private static readonly Preprocessing Pretrained = new([0.3f], [0.2f], ChannelOrder.Gray, 28, 28);

    private string SavedMini()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, SourceClasses.Length), seed: 11);
        var path = Path.Combine(_folder, $"source-{Guid.NewGuid():N}.safetensors");
        Checkpoint.Save(path, network, SourceClasses, Pretrained);
        return path;
    }

    [Fact]
    public void NewClassesGetANewHeadAndEverythingElseIsLoadedBitForBit()
    {
        var path = SavedMini();
        var source = Checkpoint.Load(path).Network;
        var log = new List<string>();
        var model = PretrainedModel.ForData(path, ["x", "y", "z"], null, null, seed: 3, log.Add);

        Assert.True(model.NewHead);
        Assert.Equal(3, model.Network.Config.Classes);
        var fresh = ModelFactory.Create(model.Network.Config, seed: 3);
        foreach (var parameter in model.Network.Parameters)
        {
            var expected = parameter.Name.StartsWith("fc8", StringComparison.Ordinal)
                ? fresh.Parameters.Single(p => p.Name == parameter.Name)
                : source.Parameters.Single(p => p.Name == parameter.Name);
            Assert.Equal(expected.Value.Data, parameter.Value.Data);
        }
        Assert.Equal(Pretrained.Mean, model.Preprocessing.Mean);
        Assert.Equal(Pretrained.Std, model.Preprocessing.Std);
        Assert.Contains("classifier head fc8 is new", Assert.Single(log));
        Assert.Contains("4 classes (a, b, c, d)", log[0]);
    }

    [Fact]
    public void SameClassesKeepTheHead()
    {
        var path = SavedMini();
        var model = PretrainedModel.ForData(path, SourceClasses, null, null, seed: 3);
        Assert.False(model.NewHead);
        var source = Checkpoint.Load(path).Network;
        Assert.All(model.Network.Parameters, p => Assert.Equal(source.Parameters.Single(s => s.Name == p.Name).Value.Data, p.Value.Data));
    }

    [Fact]
    public void RenamedClassesOfTheSameCountAlsoGetANewHead()
    {
        var model = PretrainedModel.ForData(SavedMini(), ["e", "f", "g", "h"], null, null, seed: 3);
        Assert.True(model.NewHead);
    }

    [Fact]
    public void EveryOtherMismatchIsListedInOneError()
    {
        var path = SavedMini();
        var wrongArchitecture = Assert.Throws<AlexNetException>(() => PretrainedModel.ForData(path, ["x", "y"], Architecture.Torchvision, 64, seed: 1));
        Assert.Contains("(28 problems)", wrongArchitecture.Message);
        Assert.Contains("'features.0.weight'", wrongArchitecture.Message);
        Assert.Contains("the checkpoint's 'conv1.weight' has no place in the model", wrongArchitecture.Message);

        var wrongSize = Assert.Throws<AlexNetException>(() => PretrainedModel.ForData(path, ["x", "y"], null, 32, seed: 1));
        Assert.Contains("(1 problem)", wrongSize.Message);
        Assert.Contains("'fc6.weight' is (512, 256) in the checkpoint, the model needs (512, 576)", wrongSize.Message);
        Assert.Contains(path, wrongSize.Message);
    }

    [Fact]
    public void AMissingCheckpointIsNamed()
    {
        var error = Assert.Throws<AlexNetException>(() => PretrainedModel.ForData(Path.Combine(_folder, "none.safetensors"), ["x", "y"], null, null, 1));
        Assert.Contains("--init", error.Message);
        Assert.Contains("none.safetensors", error.Message);
    }

    [Fact]
    public void AFineTunedRunKeepsThePreprocessingAndFreezingAcrossResume()
    {
        var data = Path.Combine(_folder, "squares");
        IdxFolder.Write(data, SyntheticData.Squares(160, classes: 3, seed: 4), SyntheticData.Squares(60, classes: 3, seed: 5), ["x", "y", "z"]);
        var request = new DataRequest(data);
        var options = new TrainingOptions(Epochs: 2, BatchSize: 32, Schedule: new ScheduleOptions(ScheduleKind.Constant),
            FineTune: new FineTuneOptions(SavedMini(), "features", 0.5));
        var decoder = new Data.Sources.FakePnmDecoder();
        var straight = TrainingRuns.Start(request, null, null, options, new RunDirectory(Path.Combine(_folder, "straight")), decoder);
        straight.Run();
        var firstEpoch = TrainingRuns.Start(request, null, null, options with { Epochs = 1 }, new RunDirectory(Path.Combine(_folder, "resumed")), decoder);
        firstEpoch.Run();
        var resumed = TrainingRuns.Resume(new RunDirectory(Path.Combine(_folder, "resumed")), decoder, epochs: 2);
        resumed.Run();

        Assert.Equal(Pretrained.Mean, resumed.Preprocessing.Mean);
        Assert.Equal(Pretrained.Std, resumed.Preprocessing.Std);
        var conv1 = Checkpoint.Load(options.FineTuneSettings.InitFrom!).Network.Parameters[0];
        Assert.Equal(conv1.Value.Data, resumed.Network.Parameters[0].Value.Data);
        for (var i = 0; i < straight.Network.Parameters.Count; i++)
        {
            Assert.Equal(straight.Network.Parameters[i].Value.Data, resumed.Network.Parameters[i].Value.Data);
        }
        var last = Checkpoint.Load(Path.Combine(_folder, "resumed", "last.safetensors"));
        Assert.DoesNotContain(last.OptimizerTensors.Keys, k => k.Contains(".conv", StringComparison.Ordinal));
        Assert.Contains(last.OptimizerTensors.Keys, k => k == "optimizer.momentum.fc6.weight");
        Assert.Equal("features", last.Training!.Options.FineTune!.Freeze);
        Assert.True(File.Exists(Path.Combine(_folder, "resumed", "best.safetensors")));
    }
}
