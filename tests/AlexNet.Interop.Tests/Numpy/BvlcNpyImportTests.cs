using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Cli;
using AlexNet.Data;
using AlexNet.Interop.Tests.Support;
using AlexNet.Models;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.Numpy;

/// <summary>
/// bvlc_alexnet.npy (Caffe's weights in TensorFlow layouts, a pickled dict) imports as the caffe architecture through
/// the restricted unpickler; tests/make_npy_fixtures.py wrote the files from known weights, their Caffe layouts, and
/// the logits of a photo fed the TensorFlow port's recipe, computed in numpy.
/// </summary>
public sealed class BvlcNpyImportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ImportedModel Import(string file, ResizeMode? resize = null, float[]? mean = null) =>
        ModelImporter.Import(new ImportOptions(InteropFixtures.Path(file), ClassesFile: InteropFixtures.Path("bvlc_reduced_classes.txt"), Resize: resize, Mean255: mean));

    [Theory]
    [InlineData("bvlc_reduced.npy")]          // Python 2's pickle, as the published file
    [InlineData("bvlc_reduced_np_save.npy")]  // numpy.save under Python 3
    public void EveryLayerMapsBitForBitOntoCaffesLayout(string file)
    {
        var model = Import(file);
        Assert.Equal(ImportFormat.NumpyCaffe, model.Format);
        Assert.Equal(Architecture.Caffe, model.Network.Config.Architecture);
        Assert.Equal(new LayerWidths(16, 32, 48, 48, 32, 64), model.Network.Config.Widths);
        Assert.Equal(20, model.Network.Config.Classes);
        var expected = Expected("bvlc_reduced_io.safetensors");
        foreach (var parameter in model.Network.Parameters)
        {
            Assert.Equal(expected[parameter.Name].Shape, parameter.Shape);
            Assert.Equal(expected[parameter.Name].Data, parameter.Value.Data);
        }
        Assert.Equal(ChannelOrder.Bgr, model.Preprocessing.ChannelOrder);
    }

    [Fact]
    public void ThePortsRecipeGivesNumpysTop5OnAPhoto()
    {
        var target = _folder.File("bvlc.safetensors");
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(["import", InteropFixtures.Path("bvlc_reduced.npy"), "-o", target, "--classes", InteropFixtures.Path("bvlc_reduced_classes.txt"),
            "--resize", "squash", "--mean", "104,117,124"], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("squashed to 227", output.ToString());
        var checkpoint = Checkpoint.Load(target);
        Assert.Equal(ResizeMode.Squash, checkpoint.Preprocessing.Resize);
        Assert.Equal(227, checkpoint.Preprocessing.SquareSize);
        Assert.Equal([104f / 255, 117f / 255, 124f / 255], checkpoint.Preprocessing.Mean);

        (output, error) = (new StringWriter(), new StringWriter());
        code = Program.Run(["predict", "--model", target, Photo("chelsea_422.jpg"), "--json", "--backend", "managed"], output, error);
        Assert.True(code == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        var top = json.RootElement[0].GetProperty("top").EnumerateArray().ToList();
        var logits = Expected("bvlc_reduced_io.safetensors")["chelsea_logits"].Data;
        Assert.Equal(Top5(logits), top.Select(t => t.GetProperty("index").GetInt32()));
        var softmax = logits.Select(l => Math.Exp(l - logits.Max())).ToArray();
        for (var i = 0; i < 5; i++)
        {
            var expected = softmax[top[i].GetProperty("index").GetInt32()] / softmax.Sum();
            Assert.Equal(expected, top[i].GetProperty("probability").GetDouble(), 1e-4);
        }
    }

    [Fact]
    public void WithoutSquashTheCaffeRecipeIsRecorded()
    {
        var model = Import("bvlc_reduced_np_save.npy");
        Assert.Equal(ResizeMode.ShorterSide, model.Preprocessing.Resize);
        Assert.Equal(256, model.Preprocessing.SquareSize);
        Assert.Equal(104.007f / 255, model.Preprocessing.Mean[0]);
    }

    [Fact]
    public void APickleThatCallsAnythingElseIsRefusedByName()
    {
        var error = Assert.Throws<AlexNetException>(() => Import("evil_object.npy"));
        Assert.Contains("'posix.system'", error.Message);
        Assert.Contains("nothing in the file is executed", error.Message);
    }

    [Fact]
    public void WrongContentIsListedInOneError()
    {
        var path = _folder.File("plain.npy");
        // A plain float array, not a dict of layers.
        File.WriteAllBytes(path, [0x93, .. "NUMPY"u8, 1, 0, 118, 0, .. "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }".PadRight(117).Select(c => (byte)c), (byte)'\n', 0, 0, 128, 63, 0, 0, 0, 64]);
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.Import(new ImportOptions(path)));
        Assert.Contains("not a dict of layer weights", error.Message);

        var bad = Assert.Throws<AlexNetException>(() => ModelImporter.Import(new ImportOptions(InteropFixtures.Path("bvlc_reduced.npy"), Architecture.Paper)));
        Assert.Contains("import it as caffe", bad.Message);

        var mean = Assert.Throws<AlexNetException>(() => Import("bvlc_reduced.npy", mean: [1, 2]));
        Assert.Contains("--mean needs 3 values (Bgr order), got 2", mean.Message);
    }
}
