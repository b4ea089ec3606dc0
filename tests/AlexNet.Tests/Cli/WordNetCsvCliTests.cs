using System.Text.Json;
using AlexNet.Tests.Support;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

/// <summary>
/// The Paddle project's layout end to end: a pandas-written CSV without a label column over ImageNet-style file
/// names (labels are their WordNet ids), and synset_words.txt giving the classes readable names in predict,
/// evaluate and the report.
/// </summary>
public sealed class WordNetCsvCliTests : IDisposable
{
    private static readonly string Photos = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Photos");
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-wnid-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly (string Wnid, string Words, string[] Files)[] Classes =
    [
        ("n02123045", "tabby, tabby cat", ["chelsea_422.jpg", "chelsea_progressive.jpg", "chelsea_rgba.png"]),
        ("n07920052", "espresso", ["coffee_444.jpg", "coffee_palette.png", "coffee_palette_trns.png"]),
        ("n09999999", "astronaut", ["astronaut_420.jpg", "astronaut_rgb.png", "astronaut_rgba16.png"]),
    ];

    [Fact]
    public void TrainEvaluatePredictAndReportShowReadableNames()
    {
        var images = Directory.CreateDirectory(Path.Combine(_folder, "images")).FullName;
        var lines = new List<string> { ",filename,split" };
        foreach (var (wnid, _, files) in Classes)
        {
            for (var i = 0; i < files.Length; i++)
            {
                var name = $"{wnid}_{i + 1}{Path.GetExtension(files[i])}";
                File.Copy(Path.Combine(Photos, files[i]), Path.Combine(images, name));
                lines.Add($"{lines.Count - 1},images/{name},{(i == 2 ? "val" : "train")}");
            }
        }
        var csv = Path.Combine(_folder, "train.csv");
        File.WriteAllLines(csv, lines);
        var words = Path.Combine(_folder, "synset_words.txt");
        File.WriteAllLines(words, ["n01440764 tench, Tinca tinca", .. Classes.Select(c => $"{c.Wnid} {c.Words}")]);

        var run = Path.Combine(_folder, "run");
        var train = Run("train", "--data", csv, "--out", run, "--epochs", "1", "--batch-size", "3", "--class-names", words);
        Assert.True(train.Code == 0, train.Error);
        var report = File.ReadAllText(Path.Combine(run, "report.html"));
        Assert.Contains("tabby, tabby cat", report);
        Assert.Contains("espresso", report);

        var model = Path.Combine(run, "last.safetensors");
        var predict = Run("predict", "--model", model, Path.Combine(images, "n07920052_1.jpg"), "--top", "3", "--class-names", words, "--json");
        Assert.True(predict.Code == 0, predict.Error);
        using (var json = JsonDocument.Parse(predict.Output))
        {
            var labels = json.RootElement[0].GetProperty("top").EnumerateArray().Select(t => t.GetProperty("label").GetString()!).Order().ToArray();
            Assert.Equal(["astronaut", "espresso", "tabby, tabby cat"], labels);
        }

        var evaluate = Run("evaluate", "--model", model, "--data", csv, "--split", "val", "--class-names", words, "--json");
        Assert.True(evaluate.Code == 0, evaluate.Error);
        using (var json = JsonDocument.Parse(evaluate.Output))
        {
            Assert.Equal(Classes.Select(c => c.Wnid), json.RootElement.GetProperty("classes").EnumerateArray().Select(c => c.GetString()));
            Assert.Equal(Classes.Select(c => c.Words), json.RootElement.GetProperty("class_names").EnumerateArray().Select(c => c.GetString()));
        }
        var plain = Run("evaluate", "--model", model, "--data", csv, "--split", "val", "--class-names", words);
        Assert.Contains("tabby, tabby cat", plain.Output);

        // A names file that lacks a class is named with the class, before anything is trained.
        File.WriteAllLines(words, ["n02123045 tabby"]);
        var refused = Run("train", "--data", csv, "--out", Path.Combine(_folder, "run2"), "--epochs", "1", "--class-names", words);
        Assert.Equal(1, refused.Code);
        Assert.Contains("synset_words.txt", refused.Error);
        Assert.Contains("'n07920052', 'n09999999'", refused.Error);
        Assert.False(File.Exists(Path.Combine(_folder, "run2", "last.safetensors")));
    }
}
