using System.Text.Json;
using AlexNet.Cli;
using AlexNet.Tests.Support;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

/// <summary>Training and evaluating through the CLI on class folders of real photographs (JPEG and PNG).</summary>
public sealed class ImageFolderCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-images-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string MakeDataSet(params string[] extraTrainCatFiles) => PhotoDataSet.Create(_folder, extraTrainCatFiles);

    [Fact]
    public void TrainsMiniOnPhotosAndEvaluatesTheValidationSplit()
    {
        var data = MakeDataSet();
        var run = Path.Combine(_folder, "run");
        var train = Run("train", "--data", data, "--out", run, "--epochs", "3", "--batch-size", "3", "--lr", "0.01");
        Assert.True(train.Code == 0, train.Error);
        Assert.Contains("ClassFolders", train.Output);
        Assert.True(File.Exists(Path.Combine(run, "data-stats.json")));
        Assert.True(File.Exists(Path.Combine(run, "run.json")));
        Assert.False(File.Exists(Path.Combine(run, "bad-images.txt")));

        var evaluate = Run("evaluate", "--model", Path.Combine(run, "last.safetensors"), "--data", data, "--split", "val", "--json");
        Assert.True(evaluate.Code == 0, evaluate.Error);
        using var json = JsonDocument.Parse(evaluate.Output);
        Assert.Equal(9, json.RootElement.GetProperty("count").GetInt32());
        Assert.Equal(["astronaut", "cat", "coffee"], json.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void ABadImageStopsTheRunBeforeTrainingAndIsNamed()
    {
        var data = MakeDataSet("truncated.jpg", "text.jpg");
        var run = Path.Combine(_folder, "run");
        var train = Run("train", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "3");
        Assert.Equal(1, train.Code);
        Assert.Contains("truncated.jpg", train.Error);
        Assert.Contains("text.jpg", train.Error);
        Assert.False(File.Exists(Path.Combine(run, "last.safetensors")));
    }

    [Fact]
    public void SkipBadImagesTrainsOnTheRestAndListsTheSkippedFiles()
    {
        var data = MakeDataSet("truncated.jpg", "empty.jpg");
        var run = Path.Combine(_folder, "run");
        var train = Run("train", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "3", "--skip-bad-images");
        Assert.True(train.Code == 0, train.Error);
        Assert.Contains("Skipped 2 bad images", train.Output);
        var listed = File.ReadAllLines(Path.Combine(run, "bad-images.txt"));
        Assert.Equal(2, listed.Length);
        Assert.Contains(listed, l => l.Contains("truncated.jpg") && l.Contains('\t'));
        Assert.Contains(listed, l => l.Contains("empty.jpg"));
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "data-stats.json")));
        Assert.Equal(9, stats.RootElement.GetProperty("train_images").GetInt32());
        Assert.Equal(2, stats.RootElement.GetProperty("skipped_bad_images").GetInt32());
    }

    [Fact]
    public void PaperArchitectureTrainsOnPhotosWithThePapersPipeline()
    {
        var data = MakeDataSet();
        var run = Path.Combine(_folder, "paper");
        var train = Run("train", "--arch", "paper", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "9");
        Assert.True(train.Code == 0, train.Error);
        Assert.Contains("input 3×227×227", train.Output);
        using var stats = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "data-stats.json")));
        // PCA lighting statistics of the training photographs are saved with the run.
        Assert.Equal(3, stats.RootElement.GetProperty("pca").GetProperty("eigenvalues").GetArrayLength());
        var resumed = Run("train", "--resume", run, "--epochs", "2");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Contains("Resuming", resumed.Output);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Length);
    }

    [Fact]
    public void BenchDataReportsThroughput()
    {
        var data = MakeDataSet();
        var bench = Run("bench-data", data, "--batches", "3", "--batch-size", "4", "--json");
        Assert.True(bench.Code == 0, bench.Error);
        using var json = JsonDocument.Parse(bench.Output);
        // 9 training photographs in batches of 4: one epoch is 4 + 4 + 1 images.
        Assert.Equal(9, json.RootElement.GetProperty("images").GetInt32());
        Assert.True(json.RootElement.GetProperty("images_per_sec").GetDouble() > 0);
    }
}
