using AlexNet.Interop.Tests.Support;
using AlexNet.Layers;
using AlexNet.Models;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>
/// A keras-cifar10 state_dict saved by PyTorch (tests/make_batchnorm_fixtures.py: reduced widths, running statistics
/// moved by training batches, num_batches_tracked counters included) imports with its statistics and gives PyTorch's
/// eval-mode logits.
/// </summary>
public sealed class KerasCifar10ImportTests
{
    [Fact]
    public void StateDictWithRunningStatisticsGivesPyTorchsEvalLogits()
    {
        var model = ModelImporter.Import(new ImportOptions(InteropFixtures.Path("keras_reduced.pth"), ClassesFile: InteropFixtures.Path("paper_classes.txt")));

        var config = model.Network.Config;
        Assert.Equal(Architecture.KerasCifar10, config.Architecture);
        Assert.Equal(new LayerWidths(8, 16, 24, 24, 16, 32, 20), config.Widths);
        Assert.Equal((10, 3, 32), (config.Classes, config.InputChannels, config.InputSize));
        Assert.Equal(32, model.Preprocessing.ResizeShorterSide);
        var io = Expected("keras_reduced_io.safetensors");
        Assert.NotEqual(1f, model.Network.Statistics.Single(s => s.Name == "bn6.running_var").Value.Data[0]);
        Agreement.Close(io["logits"], model.Network.Forward(io["x"], ForwardContext.Inference), Relative, "keras_reduced.pth eval logits");
    }
}
