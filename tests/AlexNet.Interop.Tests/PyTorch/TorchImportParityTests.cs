using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Interop.Tests.Support;
using AlexNet.Models;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>Weights PyTorch saved, imported, give PyTorch's logits (fixtures: tests/make_interop_fixtures.py).</summary>
public sealed class TorchImportParityTests
{
    [Theory]
    [InlineData("torchvision_reduced.pth", "logits", ImportFormat.PyTorch)]
    [InlineData("torchvision_reduced_model.pth", "logits", ImportFormat.PyTorch)]
    [InlineData("torchvision_reduced_f16.safetensors", "logits_f16", ImportFormat.SafeTensors)]
    [InlineData("torchvision_reduced_bf16.safetensors", "logits_bf16", ImportFormat.SafeTensors)]
    public void TorchvisionWeightsGivePyTorchLogits(string file, string logitsKey, ImportFormat format)
    {
        var model = ModelImporter.Import(new ImportOptions(InteropFixtures.Path(file)));

        Assert.Equal(format, model.Format);
        Assert.Equal(Architecture.Torchvision, model.Network.Config.Architecture);
        Assert.Equal(new LayerWidths(8, 16, 24, 16, 16, 16), model.Network.Config.Widths);
        var expected = Expected("torchvision_reduced_io.safetensors")[logitsKey];
        var logits = Logits(model.Network, PatternInput(1, 224, 2f));
        Agreement.Close(expected, logits, Relative, $"{file} logits");
    }

    [Theory]
    [InlineData("paper_reduced.pth")]
    [InlineData("paper_reduced_dataparallel.pth")]
    public void PaperWeightsGivePyTorchLogits(string file)
    {
        var model = ModelImporter.Import(new ImportOptions(InteropFixtures.Path(file), ClassesFile: InteropFixtures.Path("paper_classes.txt")));

        Assert.Equal(Architecture.Paper, model.Network.Config.Architecture);
        Assert.Equal(10, model.Network.Config.Classes);
        Assert.Equal("class_9", model.ClassNames[9]);
        var logits = Logits(model.Network, PatternInput(2, 227, 4f));
        Agreement.Close(Expected("paper_reduced_io.safetensors")["logits"], logits, Relative, $"{file} logits");
    }

    [Fact]
    public void ImportedImageNetModelCarriesClassesAndTorchvisionPreprocessing()
    {
        using var folder = new TempFolder();
        var output = folder.File("imported.safetensors");
        ModelImporter.ImportToFile(new ImportOptions(InteropFixtures.Path("torchvision_reduced.pth")), output);

        var checkpoint = Checkpoint.Load(output);
        Assert.Equal(1000, checkpoint.ClassNames.Count);
        Assert.Equal("tench", checkpoint.ClassNames[0]);
        Assert.Equal("goldfish", checkpoint.ClassNames[1]);
        Assert.Equal("toilet tissue", checkpoint.ClassNames[999]);
        Assert.Null(checkpoint.Training);
        var p = checkpoint.Preprocessing;
        Assert.Equal(ChannelOrder.Rgb, p.ChannelOrder);
        Assert.Equal(224, p.InputSize);
        Assert.Equal(256, p.ResizeShorterSide);
        Assert.Equal([0.485f, 0.456f, 0.406f], p.Mean);
        Assert.Equal([0.229f, 0.224f, 0.225f], p.Std);
    }
}
