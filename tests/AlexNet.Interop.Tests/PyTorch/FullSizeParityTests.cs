using System.Text.Json;
using AlexNet.Data.Transforms;
using AlexNet.Imaging;
using AlexNet.Interop.Tests.Support;
using AlexNet.Randomness;
using AlexNet.Tensors;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>
/// The real torchvision AlexNet (61 M parameters, written by PyTorch at test time): imported, it gives
/// PyTorch's logits and top-5 on photos that each side preprocesses its own way.
/// </summary>
public sealed class FullSizeParityTests
{
    private static readonly string[] Photos = ["astronaut_420.jpg", "chelsea_422.jpg", "coffee_444.jpg"];

    /// <summary>
    /// A random network's 5th and 6th logits can lie arbitrarily close; below this fraction of the logit
    /// range their order is float32 rounding, not a mapping error, and only the logits are compared.
    /// </summary>
    private const double DecidableMargin = 1e-4;

    [PythonFact("torch", "torchvision", "PIL")]
    public void TorchvisionAlexNetGivesPyTorchsLogitsAndTop5()
    {
        using var folder = new TempFolder();
        var script = System.IO.Path.Combine(AppContext.BaseDirectory, "Scripts", "full_size_torchvision.py");
        var (code, output, error) = PythonTools.Run([script, folder.Root, .. Photos.Select(Photo)], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, $"full_size_torchvision.py failed ({code}): {error}");
        using var report = JsonDocument.Parse(output);

        var model = ModelImporter.Import(new ImportOptions(folder.File("alexnet.pth")));
        Assert.Equal(61_100_840L, model.Network.ParameterCount);
        var pipeline = SamplePipeline.Evaluation(SampleConverter.From(model.Preprocessing), model.Preprocessing.ResizeShorterSide);
        var decidable = 0;
        foreach (var photo in Photos)
        {
            var batch = new Tensor(1, 3, 224, 224);
            pipeline.Process(new NativeImageDecoder().Decode(File.ReadAllBytes(Photo(photo)), photo, 3), new RandomStream(0), batch, 0);
            var logits = Logits(model.Network, batch);
            var expected = report.RootElement.GetProperty(photo);
            var reference = new Tensor(new Shape(1000), expected.GetProperty("logits").EnumerateArray().Select(v => v.GetSingle()).ToArray());
            Agreement.Close(reference, logits, Relative, $"{photo} logits");
            if (expected.GetProperty("margin").GetDouble() < DecidableMargin) continue;
            decidable++;
            Assert.Equal(expected.GetProperty("top5").EnumerateArray().Select(v => v.GetInt32()), Top5(logits.Data));
        }
        Assert.True(decidable > 0, "No photo had a clearly separated top-5; the comparison proved nothing.");
    }
}
