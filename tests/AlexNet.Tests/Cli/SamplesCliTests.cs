using AlexNet.Cli;
using AlexNet.Imaging;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

public sealed class SamplesCliTests(TrainedPhotoModel model) : IClassFixture<TrainedPhotoModel>
{

    [Fact]
    public void WritesChosenImagesAsPngsNamedByIndexAndLabelAndNeverOverwrites()
    {
        var folder = Path.Combine(model.Folder, "samples-" + Guid.NewGuid().ToString("N"));
        var result = Run("samples", "--data", model.Data, "--split", "val", "--count", "4", "--out", folder);
        Assert.True(result.Code == 0, result.Error);
        var files = Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, files.Length);

        // Validation files are sorted by class, then name: index i is file i of that listing.
        var listing = TrainedPhotoModel.Classes.SelectMany(c => c.Value.Order(StringComparer.Ordinal).Select(f => (Label: c.Key, File: f))).ToArray();
        var decoder = new NativeImageDecoder();
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var index = int.Parse(name[..5]);
            Assert.Equal(listing[index].Label, name[6..]);
            var original = decoder.Load(Path.Combine(model.Data, "val", listing[index].Label, listing[index].File), 3);
            Assert.Equal(original.Pixels, decoder.Load(file, 3).Pixels);
        }

        var before = File.ReadAllBytes(files[0]);
        var again = Run("samples", "--data", model.Data, "--split", "val", "--count", "4", "--out", folder);
        Assert.Equal(1, again.Code);
        Assert.Contains("Not overwriting", again.Error);
        Assert.Equal(before, File.ReadAllBytes(files[0]));
    }
}
