using System.Text.Json;
using AlexNet.Data;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

/// <summary>keras-cifar10 and the seed project's recipe through the command line.</summary>
public sealed class KerasCifar10CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-keras-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void SummaryShowsTheNetworkWithBatchNormalization()
    {
        var (code, output, error) = Run("summary", "--arch", "keras-cifar10");
        Assert.True(code == 0, error);
        Assert.Contains("Model: keras-cifar10 (10 classes, input 3×32×32)", output);
        Assert.Contains("Conv2d 11×11/4 pad 3/4", output);
        Assert.Contains("BatchNorm momentum 0.01, ε 0.001", output);
        Assert.Contains("Total params: 25,709,350", output);
        Assert.Contains("Running statistics (not trained): 21,156", output);
    }

    [Fact]
    public void TrainsGreyImagesAt32WithTheRecipeAndResumesIt()
    {
        var data = Support.SyntheticData.Squares(160, classes: 10, seed: 8);
        IdxFile.Write(Path.Combine(_folder, "train-images-idx3-ubyte"), [data.Count, 28, 28], data.Pixels);
        IdxFile.Write(Path.Combine(_folder, "train-labels-idx1-ubyte"), [data.Count], data.Labels.Select(l => (byte)l).ToArray());
        var run = Path.Combine(_folder, "run");

        var train = Run("train", "--arch", "keras-cifar10", "--data", _folder, "--out", run, "--epochs", "1", "--batch-size", "32",
            "--augment", "rotate=2,zoom=0.1,flip", "--plateau-factor", "0.01", "--plateau-monitor", "val_top1", "--min-lr", "1e-5",
            "--early-stop", "3", "--best-by", "top1", "--lr", "0.001", "--optimizer", "adam");
        Assert.True(train.Code == 0, train.Error + train.Output);
        Assert.Contains("input 1×32×32", train.Output);
        Assert.Contains("plateau (val_top1, patience 2, factor 0.01, min lr 1E-05)", train.Output);
        Assert.Contains("augment rotate=2,zoom=0.1,flip", train.Output);

        using (var description = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "run.json"))))
        {
            var model = description.RootElement.GetProperty("model");
            Assert.Equal("keras_cifar10", model.GetProperty("architecture").GetString());
            Assert.Equal((1, 32), (model.GetProperty("input_channels").GetInt32(), model.GetProperty("input_size").GetInt32()));
            var training = description.RootElement.GetProperty("training");
            Assert.Equal(3, training.GetProperty("early_stop").GetInt32());
            Assert.Equal(2, training.GetProperty("augment").GetProperty("rotate_degrees").GetDouble());
            Assert.True(training.GetProperty("augment").GetProperty("flip").GetBoolean());
            var schedule = training.GetProperty("schedule");
            Assert.Equal("val_top1", schedule.GetProperty("monitor").GetString());
            Assert.Equal(0.01, schedule.GetProperty("factor").GetDouble());
            Assert.Equal(1e-5, schedule.GetProperty("min_learning_rate").GetDouble());
        }

        // The recipe is the run's: options that would change it are refused before anything is touched.
        var refused = Run("train", "--resume", run, "--epochs", "2", "--lr", "0.1", "--augment", "none");
        Assert.Equal(1, refused.Code);
        Assert.Contains("--lr, --augment would be ignored", refused.Error);
        Assert.Single(File.ReadAllLines(Path.Combine(run, "metrics.jsonl")));

        var resumed = Run("train", "--resume", run, "--epochs", "2", "--backend", "managed");
        Assert.True(resumed.Code == 0, resumed.Error + resumed.Output);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
        var state = AlexNet.Checkpoints.Checkpoint.Load(Path.Combine(run, "last.safetensors")).Training!;
        Assert.Equal("rotate=2,zoom=0.1,flip", state.Options.Augment!.ToString());
        Assert.Equal(3, state.Options.EarlyStop);
    }

    [Fact]
    public void AMalformedAugmentListFailsBeforeAnyWork()
    {
        var (code, _, error) = Run("train", "--augment", "rotate=2,zom=0.1", "--out", Path.Combine(_folder, "bad"));
        Assert.Equal(1, code);
        Assert.Contains("--augment: 'zom=0.1'", error);
        Assert.False(Directory.Exists(Path.Combine(_folder, "bad")));
    }

    [Theory]
    [InlineData("step", "--plateau-factor", "0.01")]
    [InlineData("constant", "--plateau-monitor", "val_top1")]
    [InlineData("step", "--min-lr", "1e-5")]
    public void PlateauSettingsWithAnotherScheduleAreRefusedNamingTheOption(string schedule, string option, string value)
    {
        var (code, _, error) = Run("train", "--schedule", schedule, option, value, "--out", Path.Combine(_folder, "other"));
        Assert.Equal(1, code);
        Assert.Contains($"{option} sets the plateau schedule, but --schedule is {schedule}", error);
        Assert.False(Directory.Exists(Path.Combine(_folder, "other")));
    }
}
