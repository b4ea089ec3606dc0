using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Cli;
using AlexNet.Data;
using AlexNet.Imaging;
using AlexNet.Reporting;
using AlexNet.Training;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Reporting;

/// <summary><c>alexnet report</c> on tiny runs trained through the CLI, and its errors.</summary>
public sealed class ReportCliTests : IDisposable
{
    private static readonly string Photos = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Photos");
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>600 training and 200 test images of 10 classes, IDX files as Fashion-MNIST ships them.</summary>
    private string IdxData()
    {
        var data = Support.SyntheticData.Squares(600, classes: 10, seed: 5);
        var test = Support.SyntheticData.Squares(200, classes: 10, seed: 6);
        var folder = Directory.CreateDirectory(Path.Combine(_folder, "idx")).FullName;
        IdxFile.Write(Path.Combine(folder, "train-images-idx3-ubyte"), [data.Count, 28, 28], data.Pixels);
        IdxFile.Write(Path.Combine(folder, "train-labels-idx1-ubyte"), [data.Count], data.Labels.Select(l => (byte)l).ToArray());
        IdxFile.Write(Path.Combine(folder, "t10k-images-idx3-ubyte"), [test.Count, 28, 28], test.Pixels);
        IdxFile.Write(Path.Combine(folder, "t10k-labels-idx1-ubyte"), [test.Count], test.Labels.Select(l => (byte)l).ToArray());
        return folder;
    }

    private string Train(string data, params string[] extra)
    {
        var run = Path.Combine(_folder, "run");
        // The managed backend, as RunReport.Create uses by default, so that losses can be compared exactly.
        var train = Run(["train", "--data", data, "--out", run, "--backend", "managed", .. extra]);
        Assert.True(train.Code == 0, train.Error);
        // Training ends by writing the run's report.
        Assert.Contains(Path.Combine(run, "report.html"), train.Output);
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
        return run;
    }

    /// <summary>The checkpoint's loss on the rebuilt validation split must be the one the trainer logged for that epoch: same images, same preprocessing.</summary>
    private static void AssertSameValidationAsTraining(RunReport report, string run)
    {
        var evaluation = report.Evaluation!;
        Assert.Equal(EvaluatedSplit.Validation, evaluation.Split);
        var logged = report.History[report.CheckpointEpoch - 1].ValLoss!.Value;
        Assert.Equal(logged, evaluation.Result.Loss, 1e-6 * Math.Max(1, logged));
        using var statistics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "data-stats.json")));
        Assert.Equal(statistics.RootElement.GetProperty("validation_images").GetInt32(), evaluation.Result.Count);
    }

    [Fact]
    public void ReportsAnIdxRunOnItsValidationSplit()
    {
        var run = Train(IdxData(), "--epochs", "1", "--batch-size", "32");
        Assert.NotNull(JsonSerializer.Deserialize<EpochMetrics>(File.ReadLines(Path.Combine(run, "metrics.jsonl")).First(), JsonDefaults.Options)!.TrainTop5);

        var result = Run("report", run, "--samples", "6", "--backend", "managed");
        Assert.True(result.Code == 0, result.Error);
        var path = Path.Combine(run, "report.html");
        Assert.Contains(path, result.Output);
        var document = ReportFixtures.Parse(File.ReadAllText(path));
        Assert.Equal(6, document.ById("samples-random").Named("figure").Count());
        Assert.Equal(100, document.ById("confusion-counts").Named("rect").Count(r => ((string?)r.Attribute("class"))?.StartsWith("cell") == true));

        var again = Path.Combine(_folder, "again.html");
        Assert.Equal(0, Run("report", run, "--samples", "6", "--backend", "managed", "--out", again).Code);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));

        var report = RunReport.Create(run, new NativeImageDecoder(), options: new RunReportOptions(Samples: 0));
        Assert.Equal(60, report.Evaluation!.Result.Count);
        AssertSameValidationAsTraining(report, run);
    }

    [Fact]
    public void CurvesFollowAKnownMetricsFile()
    {
        var run = Train(IdxData(), "--epochs", "1", "--batch-size", "32");
        // Five epochs as an older run wrote them (no train_top5) with a validation loss that rises after epoch 3.
        string[] lines =
        [
            """{"epoch":1,"lr":0.01,"train_loss":2.0,"train_top1":0.30,"val_loss":1.50,"val_top1":0.40,"val_top5":0.80,"images_per_sec":100,"seconds":10}""",
            """{"epoch":2,"lr":0.01,"train_loss":1.2,"train_top1":0.55,"val_loss":1.10,"val_top1":0.60,"val_top5":0.90,"images_per_sec":100,"seconds":10}""",
            """{"epoch":3,"lr":0.01,"train_loss":0.8,"train_top1":0.70,"val_loss":0.90,"val_top1":0.70,"val_top5":0.95,"images_per_sec":100,"seconds":10}""",
            """{"epoch":4,"lr":0.001,"train_loss":0.6,"train_top1":0.78,"val_loss":0.95,"val_top1":0.71,"val_top5":0.96,"images_per_sec":100,"seconds":10}""",
            """{"epoch":5,"lr":0.001,"train_loss":0.5,"train_top1":0.82,"val_loss":1.00,"val_top1":0.72,"val_top5":0.96,"images_per_sec":100,"seconds":10}""",
        ];
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), string.Join("\n", lines) + "\n");

        Assert.Equal(0, Run("report", run, "--samples", "0", "--backend", "managed").Code);
        var document = ReportFixtures.Parse(File.ReadAllText(Path.Combine(run, "report.html")));
        double[] Ys(string chart, string series) => document.ById(chart).Named("g").Single(g => (string?)g.Attribute("data-series") == series)
            .Named("circle").Select(c => double.Parse((string)c.Attribute("cy")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(5, Ys("chart-loss", "train").Length);
        var validationLoss = Ys("chart-loss", "validation");
        Assert.Equal(5, validationLoss.Length);
        // SVG y grows downwards: the lowest validation loss (epoch 3) is the lowest point, i.e. the largest y.
        Assert.Equal(2, Array.IndexOf(validationLoss, validationLoss.Max()));
        Assert.Equal(5, Ys("chart-top1", "validation").Length);
        Assert.Equal(5, Ys("chart-lr", "learning rate").Length);
        Assert.Equal(["validation"], document.ById("chart-top5").Named("g").Select(g => (string?)g.Attribute("data-series")));
        Assert.Empty(document.All("figure"));
    }

    [Fact]
    public void WithoutValidationTheTestSplitIsReportedWhereAsked()
    {
        var run = Train(IdxData(), "--epochs", "1", "--batch-size", "32", "--val-split", "0");
        var target = Path.Combine(_folder, "elsewhere", "r.html");
        // Training wrote the run's own report; a report sent elsewhere leaves it as it was.
        var written = File.GetLastWriteTimeUtc(Path.Combine(run, "report.html"));
        var result = Run("report", run, "--out", target, "--samples", "2");
        Assert.True(result.Code == 0, result.Error);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(run, "report.html")));
        var document = ReportFixtures.Parse(File.ReadAllText(target));
        Assert.Contains("200 images", document.ById("confusion").Value);
        Assert.Contains("on the test split", document.ById("confusion").Value);
    }

    [Fact]
    public void ReportsAPhotoRunOnTheSameHeldOutImages()
    {
        // Class folders without a val/ folder: the run holds out a seeded third of the images, and so must the report.
        var root = Path.Combine(_folder, "photos", "train");
        var classes = new Dictionary<string, string[]>
        {
            ["astronaut"] = ["astronaut_420.jpg", "astronaut_rgb.png", "astronaut_rgba16.png"],
            ["cat"] = ["chelsea_422.jpg", "chelsea_progressive.jpg", "chelsea_rgba.png"],
            ["coffee"] = ["coffee_444.jpg", "coffee_palette.png", "coffee_palette_trns.png"],
        };
        foreach (var (label, files) in classes)
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, label)).FullName;
            foreach (var file in files) File.Copy(Path.Combine(Photos, file), Path.Combine(folder, file));
        }
        var run = Train(Path.Combine(_folder, "photos"), "--epochs", "1", "--batch-size", "3", "--val-split", "0.34");

        var path = RunReportWriter.Write(run, new NativeImageDecoder(), options: new RunReportOptions(Samples: 3));
        var report = RunReport.Create(run, new NativeImageDecoder(), options: new RunReportOptions(Samples: 3));
        Assert.Equal(3, report.Evaluation!.Result.Count);
        AssertSameValidationAsTraining(report, run);
        Assert.All(report.Evaluation.Samples, s => Assert.Equal(3, s.Thumbnail.Channels));
        Assert.Equal(3, ReportFixtures.Parse(File.ReadAllText(path)).ById("samples-random").Named("figure").Count());
    }

    [Fact]
    public void AMissingRunDirectoryIsNamed()
    {
        var missing = Path.Combine(_folder, "no-such-run");
        var (code, _, error) = Run("report", missing);
        Assert.Equal(1, code);
        Assert.Contains(missing, error);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void ARunWithoutMetricsIsNamed()
    {
        var run = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        var (code, _, error) = Run("report", run);
        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(run, "metrics.jsonl"), error);
        Assert.Empty(Directory.EnumerateFileSystemEntries(run));
    }

    [Fact]
    public void ARunWithoutCheckpointIsNamed()
    {
        var run = Directory.CreateDirectory(Path.Combine(_folder, "no-checkpoint")).FullName;
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), JsonSerializer.Serialize(ReportFixtures.History(1)[0], JsonDefaults.Options) + "\n");
        var (code, _, error) = Run("report", run);
        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(run, "best.safetensors"), error);
        Assert.False(File.Exists(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void MalformedMetricsAreNamed()
    {
        var run = Directory.CreateDirectory(Path.Combine(_folder, "bad-metrics")).FullName;
        File.WriteAllText(Path.Combine(run, "metrics.jsonl"), "{\"epoch\": 1,\n");
        var (code, _, error) = Run("report", run);
        Assert.Equal(1, code);
        Assert.Contains(Path.Combine(run, "metrics.jsonl"), error);
        Assert.False(File.Exists(Path.Combine(run, "report.html")));
    }
}
