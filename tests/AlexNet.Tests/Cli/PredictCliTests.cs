using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using AlexNet.Cli;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

public sealed class PredictCliTests(TrainedPhotoModel model) : IClassFixture<TrainedPhotoModel>
{

    private static string Photo(string name) => Path.Combine(TrainedPhotoModel.Photos, name);

    private static List<(string Image, List<(int Index, string Label, double Probability)> Top)> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(p => (
            p.GetProperty("image").GetString()!,
            p.GetProperty("top").EnumerateArray().Select(t => (
                t.GetProperty("index").GetInt32(), t.GetProperty("label").GetString()!, t.GetProperty("probability").GetDouble())).ToList())).ToList();
    }

    [Fact]
    public void PredictsFilesAndFoldersWithSortedNamedProbabilities()
    {
        var folder = Path.Combine(model.Data, "val", "cat");
        var result = Run("predict", "--model", model.Checkpoint, Photo("coffee_444.jpg"), folder, "--top", "2", "--json");
        Assert.True(result.Code == 0, result.Error);
        var predictions = Parse(result.Output);
        Assert.Equal(1 + TrainedPhotoModel.Classes["cat"].Length, predictions.Count);
        Assert.Equal(Photo("coffee_444.jpg"), predictions[0].Image);
        Assert.All(predictions.Skip(1), p => Assert.StartsWith(folder, p.Image));
        string[] labels = ["astronaut", "cat", "coffee"];
        foreach (var (_, top) in predictions)
        {
            Assert.Equal(2, top.Count);
            Assert.True(top[0].Probability >= top[1].Probability);
            Assert.All(top, t => Assert.Equal(labels[t.Index], t.Label));
            Assert.InRange(top.Sum(t => t.Probability), 0.0, 1.0 + 1e-5);
        }
    }

    [Fact]
    public void AllClassesSumToOneWithAndWithoutTenCrops()
    {
        foreach (var tenCrop in new[] { false, true })
        {
            string[] args = ["predict", "--model", model.Checkpoint, Photo("chelsea_422.jpg"), "--top", "3", "--json", .. tenCrop ? new[] { "--ten-crop" } : []];
            var result = Run(args);
            Assert.True(result.Code == 0, result.Error);
            var top = Parse(result.Output).Single().Top;
            Assert.Equal(1.0, top.Sum(t => t.Probability), 4);
        }
    }

    [Fact]
    public void AnImageThatDoesNotDecodeIsNamedAndTheOthersArePredicted()
    {
        var result = Run("predict", "--model", model.Checkpoint, Photo("truncated.jpg"), Photo("coffee_444.jpg"));
        Assert.Equal(1, result.Code);
        Assert.Contains("truncated.jpg", result.Error);
        Assert.Contains("coffee_444.jpg", result.Output);
        Assert.DoesNotContain("truncated.jpg", result.Output);
    }

    [Fact]
    public void AMissingPathAndAnUnreachableUrlAreNamed()
    {
        var missing = Run("predict", "--model", model.Checkpoint, Path.Combine(model.Folder, "nothing-here.jpg"));
        Assert.Equal(1, missing.Code);
        Assert.Contains("nothing-here.jpg", missing.Error);

        var url = $"http://127.0.0.1:{UnusedPort()}/cat.jpg";
        var unreachable = Run("predict", "--model", model.Checkpoint, url);
        Assert.Equal(1, unreachable.Code);
        Assert.Contains(url, unreachable.Error);
    }

    [Fact]
    public async Task AnImageFetchedByUrlIsPredictedLikeTheSameFile()
    {
        var port = UnusedPort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = Task.Run(() =>
        {
            var context = listener.GetContext();
            var bytes = File.ReadAllBytes(Photo("chelsea_422.jpg"));
            context.Response.ContentType = "image/jpeg";
            context.Response.OutputStream.Write(bytes);
            context.Response.Close();
        });
        var url = $"http://127.0.0.1:{port}/chelsea.jpg";
        var fetched = Run("predict", "--model", model.Checkpoint, url, "--json", "--top", "3");
        await serving.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(fetched.Code == 0, fetched.Error);
        var local = Run("predict", "--model", model.Checkpoint, Photo("chelsea_422.jpg"), "--json", "--top", "3");
        Assert.Equal(url, Parse(fetched.Output).Single().Image);
        Assert.Equal(Parse(local.Output).Single().Top, Parse(fetched.Output).Single().Top);
    }

    [Fact]
    public void TopMustBePositive()
    {
        var result = Run("predict", "--model", model.Checkpoint, Photo("coffee_444.jpg"), "--top", "0");
        Assert.Equal(1, result.Code);
        Assert.Contains("--top", result.Error);
    }

    [Fact]
    public void TenCropEvaluationReportsEveryField()
    {
        var result = Run("evaluate", "--model", model.Checkpoint, "--data", model.Data, "--split", "val", "--ten-crop", "--json");
        Assert.True(result.Code == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(9, root.GetProperty("count").GetInt32());
        Assert.Contains("ten crops", root.GetProperty("data").GetString());
        var confusion = root.GetProperty("confusion").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        Assert.Equal(3, confusion.Length);
        Assert.All(confusion, row => Assert.Equal(3, row.Sum()));
        var correct = Enumerable.Range(0, 3).Sum(c => confusion[c][c]);
        Assert.Equal(correct / 9.0, root.GetProperty("top1").GetDouble(), 9);
        Assert.True(root.GetProperty("loss").GetDouble() > 0);
    }

    [Fact]
    public void ANewRunRefusesAnOccupiedFolderUnlessForced()
    {
        var run = Path.Combine(model.Folder, "force-run");
        string[] train = ["train", "--data", model.Data, "--out", run, "--epochs", "1", "--batch-size", "9", "--input-size", "32"];
        Assert.Equal(0, Run(train).Code);
        var keep = Path.Combine(run, "notes.txt");
        File.WriteAllText(keep, "mine");
        var before = File.ReadAllBytes(Path.Combine(run, "last.safetensors"));

        var refused = Run(train);
        Assert.Equal(1, refused.Code);
        Assert.Contains("--force", refused.Error);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(run, "last.safetensors")));

        var forced = Run([.. train, "--force", "--seed", "7"]);
        Assert.True(forced.Code == 0, forced.Error);
        Assert.NotEqual(before, File.ReadAllBytes(Path.Combine(run, "last.safetensors")));
        Assert.Equal("mine", File.ReadAllText(keep));
        Assert.Single(File.ReadAllLines(Path.Combine(run, "metrics.jsonl")));
    }

    private static int UnusedPort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
