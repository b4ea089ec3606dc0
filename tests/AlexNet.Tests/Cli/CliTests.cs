using System.Text.Json;
using AlexNet.Cli;
using AlexNet.Data;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("paper", 60_965_224L)]
    [InlineData("torchvision", 61_100_840L)]
    public void SummaryJsonHasTotalsAndLayers(string arch, long parameters)
    {
        var (code, output, _) = Run("summary", "--arch", arch, "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(parameters, json.RootElement.GetProperty("total_params").GetInt64());
        var layers = json.RootElement.GetProperty("layers");
        Assert.True(layers.GetArrayLength() > 15);
        Assert.Equal(parameters, layers.EnumerateArray().Sum(l => l.GetProperty("params").GetInt64()));
    }

    [Fact]
    public void SummaryTableShowsShapesAndTotal()
    {
        var (code, output, _) = Run("summary", "--arch", "paper", "--classes", "10");
        Assert.Equal(0, code);
        Assert.Contains("(96, 55, 55)", output);
        Assert.Contains("Total params: 56,909,194", output);
    }

    [Fact]
    public void UnknownArchitectureFailsWithAMessage()
    {
        var (code, _, error) = Run("summary", "--arch", "resnet");
        Assert.Equal(1, code);
        Assert.Contains("Unknown architecture 'resnet'", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void ZeroBatchSizeFailsBeforeAnyWork()
    {
        var (code, _, error) = Run("train", "--batch-size", "0", "--out", Path.Combine(_folder, "run"));
        Assert.Equal(1, code);
        Assert.Contains("--batch-size must be at least 1", error);
        Assert.False(Directory.Exists(Path.Combine(_folder, "run")));
    }

    [Fact]
    public void MalformedIdxDataIsNamed()
    {
        File.WriteAllBytes(Path.Combine(_folder, "train-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0]);
        IdxFile.Write(Path.Combine(_folder, "train-labels-idx1-ubyte"), [1], [0]);
        var (code, _, error) = Run("train", "--data", _folder, "--out", Path.Combine(_folder, "run"));
        Assert.Equal(1, code);
        Assert.Contains("train-images-idx3-ubyte", error);
        Assert.Contains("truncated header", error);
    }

    [Fact]
    public void EvaluatingAMissingCheckpointNamesIt()
    {
        var (code, _, error) = Run("evaluate", "--model", Path.Combine(_folder, "none.safetensors"));
        Assert.Equal(1, code);
        Assert.Contains("none.safetensors", error);
    }

    [Fact]
    public void UnknownOptionIsAParseError()
    {
        var (code, _, error) = Run("train", "--bogus");
        Assert.NotEqual(0, code);
        Assert.Contains("--bogus", error);
    }

    [Fact]
    public void TrainsAndEvaluatesOnASmallIdxDataSet()
    {
        // A 4-class Fashion-MNIST-shaped data set in IDX files, trained and evaluated through the CLI.
        var data = Support.SyntheticData.Squares(600, classes: 10, seed: 5);
        var test = Support.SyntheticData.Squares(200, classes: 10, seed: 6);
        IdxFile.Write(Path.Combine(_folder, "train-images-idx3-ubyte"), [data.Count, 28, 28], data.Pixels);
        IdxFile.Write(Path.Combine(_folder, "train-labels-idx1-ubyte"), [data.Count], data.Labels.Select(l => (byte)l).ToArray());
        IdxFile.Write(Path.Combine(_folder, "t10k-images-idx3-ubyte"), [test.Count, 28, 28], test.Pixels);
        IdxFile.Write(Path.Combine(_folder, "t10k-labels-idx1-ubyte"), [test.Count], test.Labels.Select(l => (byte)l).ToArray());
        var run = Path.Combine(_folder, "run");

        var train = Run("train", "--data", _folder, "--out", run, "--epochs", "2", "--batch-size", "32");
        Assert.True(train.Code == 0, train.Error);
        Assert.Contains("epoch 2", train.Output);

        var evaluate = Run("evaluate", "--model", Path.Combine(run, "best.safetensors"), "--data", _folder, "--json");
        Assert.True(evaluate.Code == 0, evaluate.Error);
        using var json = JsonDocument.Parse(evaluate.Output);
        Assert.Equal(200, json.RootElement.GetProperty("count").GetInt32());
        Assert.InRange(json.RootElement.GetProperty("top1").GetDouble(), 0.5, 1.0);
        Assert.Equal(10, json.RootElement.GetProperty("confusion").GetArrayLength());

        var again = Run("train", "--data", _folder, "--out", run, "--epochs", "1");
        Assert.Equal(1, again.Code);
        Assert.Contains("already holds a run", again.Error);
    }
}
