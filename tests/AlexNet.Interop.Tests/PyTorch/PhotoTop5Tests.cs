using AlexNet.Checkpoints;
using AlexNet.Data.Transforms;
using AlexNet.Imaging;
using AlexNet.Interop.Tests.Support;
using AlexNet.Randomness;
using AlexNet.Tensors;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>
/// End to end on real photos: an imported torchvision checkpoint, fed through the checkpoint's own
/// preprocessing (libjpeg-turbo decode, resize 256, centre crop 224, normalize), ranks the classes as
/// PyTorch does on the same photos preprocessed by torchvision's transforms.
/// </summary>
public sealed class PhotoTop5Tests
{
    [Theory]
    [InlineData("astronaut_420.jpg")]
    [InlineData("chelsea_422.jpg")]
    [InlineData("coffee_444.jpg")]
    public void ImportedModelHasPyTorchsTop5(string photo)
    {
        using var folder = new TempFolder();
        var path = folder.File("model.safetensors");
        ModelImporter.ImportToFile(new ImportOptions(InteropFixtures.Path("torchvision_reduced.pth")), path);
        var checkpoint = Checkpoint.Load(path);

        var pipeline = SamplePipeline.Evaluation(SampleConverter.From(checkpoint.Preprocessing), checkpoint.Preprocessing.ResizeShorterSide);
        var image = new NativeImageDecoder().Decode(File.ReadAllBytes(Photo(photo)), photo, 3);
        var batch = new Tensor(1, 3, 224, 224);
        pipeline.Process(image, new RandomStream(0), batch, 0);
        var logits = Logits(checkpoint.Network, batch);

        var io = Expected("torchvision_reduced_io.safetensors");
        var expectedTop5 = io["top5." + photo].Data.Select(v => (int)v).ToArray();
        Assert.Equal(expectedTop5, Top5(logits.Data));
        Agreement.Close(io["photo." + photo], logits, Relative, $"{photo} logits");
    }
}
