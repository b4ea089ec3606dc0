using AlexNet.Checkpoints;
using AlexNet.Cli;
using AlexNet.Interop.Tests.Support;
using AlexNet.Models;

namespace AlexNet.Interop.Tests.Cli;

public sealed class ImportExportCliTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void ImportThenExport()
    {
        var checkpoint = _folder.File("tv.safetensors");
        var import = Run("import", InteropFixtures.Path("torchvision_reduced_model.pth"), "-o", checkpoint);
        Assert.True(import.Code == 0, import.Error);
        Assert.Contains("torchvision", import.Output);
        Assert.Contains("1000 classes", import.Output);
        Assert.Equal(Architecture.Torchvision, Checkpoint.Load(checkpoint).Network.Config.Architecture);

        var onnx = _folder.File("tv.onnx");
        var export = Run("export", "--model", checkpoint, "-o", onnx);
        Assert.True(export.Code == 0, export.Error);
        Assert.True(new FileInfo(onnx).Length > 100_000);
    }

    [Fact]
    public void PredictWithAnImportedModelNeedsNothingElse()
    {
        var checkpoint = _folder.File("tv.safetensors");
        Assert.Equal(0, Run("import", InteropFixtures.Path("torchvision_reduced.pth"), "-o", checkpoint).Code);
        var photo = InteropFixtures.Photo("chelsea_422.jpg");

        var result = Run("predict", "--model", checkpoint, photo, "--json");

        Assert.True(result.Code == 0, result.Error);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        var labels = json.RootElement[0].GetProperty("top").EnumerateArray().Select(t => t.GetProperty("label").GetString()).ToArray();
        var expected = InteropFixtures.Expected("torchvision_reduced_io.safetensors")["top5.chelsea_422.jpg"].Data.Select(i => ImageNetClasses.Names[(int)i]);
        Assert.Equal(expected, labels);
    }

    [Fact]
    public void ImportWithArchitectureAndClasses()
    {
        var checkpoint = _folder.File("paper.safetensors");
        var result = Run("import", InteropFixtures.Path("paper_reduced.pth"), "-o", checkpoint, "--arch", "paper", "--classes", InteropFixtures.Path("paper_classes.txt"));
        Assert.True(result.Code == 0, result.Error);
        Assert.Equal("class_3", Checkpoint.Load(checkpoint).ClassNames[3]);
    }

    [Fact]
    public void ForeignGlobalExitsWithOneAndWritesNothing()
    {
        var checkpoint = _folder.File("evil.safetensors");
        var result = Run("import", InteropFixtures.Path("evil_reduce.pth"), "-o", checkpoint);
        Assert.Equal(1, result.Code);
        Assert.Contains("posix.system", result.Error);
        Assert.False(File.Exists(checkpoint));
    }

    [Fact]
    public void UnknownArchitectureIsAnError()
    {
        var result = Run("import", InteropFixtures.Path("paper_reduced.pth"), "-o", _folder.File("x.safetensors"), "--arch", "vgg");
        Assert.Equal(1, result.Code);
        Assert.Contains("Unknown architecture 'vgg'", result.Error);
    }

    [Fact]
    public void ExportOfAMissingCheckpointIsAnError()
    {
        var result = Run("export", "--model", _folder.File("absent.safetensors"), "-o", _folder.File("x.onnx"));
        Assert.Equal(1, result.Code);
        Assert.Contains("absent.safetensors", result.Error);
        Assert.False(File.Exists(_folder.File("x.onnx")));
    }
}
