using System.Text.Json;
using AlexNet.Data;
using AlexNet.Interop.Onnx;
using AlexNet.Interop.Onnx.Schema;
using AlexNet.Interop.Tests.Support;
using AlexNet.Models;
using AlexNet.Tensors;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.Onnx;

/// <summary>Exported graphs pass onnx.checker and compute our logits when run by an independent evaluator.</summary>
public sealed class OnnxExportTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ImportedModel Paper() =>
        ModelImporter.Import(new ImportOptions(InteropFixtures.Path("paper_reduced.pth"), ClassesFile: InteropFixtures.Path("paper_classes.txt")));

    private static ImportedModel Torchvision() => ModelImporter.Import(new ImportOptions(InteropFixtures.Path("torchvision_reduced.pth")));

    [Fact]
    public void GraphHasOneNodePerInferenceLayerAndNoDropout()
    {
        var model = Paper();
        var proto = OnnxExporter.Build(model.Network, model.ClassNames, model.Preprocessing);

        Assert.Equal(13, proto.OpsetImport.Single().Version);
        string[] expected =
        [
            "Conv", "Relu", "LRN", "MaxPool", "Conv", "Relu", "LRN", "MaxPool", "Conv", "Relu", "Conv", "Relu", "Conv", "Relu", "MaxPool",
            "Flatten", "Gemm", "Relu", "Gemm", "Relu", "Gemm",
        ];
        Assert.Equal(expected, proto.Graph.Node.Select(n => n.OpType));
        var conv2 = proto.Graph.Node.Single(n => n.Name == "conv2");
        Assert.Equal(2, conv2.Attribute.Single(a => a.Name == "group").I);
        var lrn = proto.Graph.Node.First(n => n.OpType == "LRN");
        Assert.Equal(2f, lrn.Attribute.Single(a => a.Name == "bias").F);
        Assert.Equal("logits", proto.Graph.Output.Single().Name);
        Assert.Equal("logits", proto.Graph.Node[^1].Output.Single());
        Assert.Equal(16, proto.Graph.Initializer.Count);
    }

    [PythonFact("onnx", "torch")]
    public void PaperExportPassesTheCheckerAndGivesOurLogits() => CheckWithPython(Paper(), PatternInput(2, 227, 4f));

    [PythonFact("onnx", "torch")]
    public void TorchvisionExportPassesTheCheckerAndGivesOurLogits()
    {
        var model = Torchvision();
        var metadata = CheckWithPython(model, PatternInput(1, 224, 2f));
        var preprocessing = JsonSerializer.Deserialize<Preprocessing>(metadata.GetProperty("preprocessing").GetString()!, Checkpoints.JsonDefaults.Options)!;
        Assert.Equal(model.Preprocessing.Mean, preprocessing.Mean);
        Assert.Equal(ChannelOrder.Rgb, preprocessing.ChannelOrder);
        Assert.Equal("0.485,0.456,0.406", metadata.GetProperty("mean").GetString());
        Assert.Equal("256", metadata.GetProperty("resize_shorter_side").GetString());
        Assert.Equal("tench", JsonSerializer.Deserialize<string[]>(metadata.GetProperty("classes").GetString()!)![0]);
    }

    [PythonFact("onnx", "torch")]
    public void CaffeNetExportKeepsBgrAndCaffesMean()
    {
        var model = ModelImporter.Import(new ImportOptions(InteropFixtures.Path("caffenet.caffemodel")));
        var metadata = CheckWithPython(model, PatternInput(1, 227, 50f));
        Assert.Equal("bgr", metadata.GetProperty("channel_order").GetString());
        Assert.Equal("caffenet", metadata.GetProperty("architecture").GetString());
    }

    [Fact]
    public void KerasCifar10ExportsBatchNormalizationAndUnequalPadding()
    {
        var model = KerasCifar10();
        var proto = OnnxExporter.Build(model.Network, model.ClassNames, model.Preprocessing);
        Assert.Equal(9, proto.Graph.Node.Count(n => n.OpType == "BatchNormalization"));
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Dropout");
        var conv1 = proto.Graph.Node.Single(n => n.Name == "conv1");
        Assert.Equal([3L, 3, 4, 4], conv1.Attribute.Single(a => a.Name == "pads").Ints);
        var bn6 = proto.Graph.Node.Single(n => n.Name == "bn6");
        Assert.Equal(["bn6", "bn6.weight", "bn6.bias", "bn6.running_mean", "bn6.running_var"], bn6.Input.Skip(1).Prepend(bn6.Name));
        Assert.Equal(1e-3f, bn6.Attribute.Single(a => a.Name == "epsilon").F);
        Assert.Equal("logits", proto.Graph.Node[^1].Output.Single());
    }

    [PythonFact("onnx", "torch")]
    public void KerasCifar10ExportPassesTheCheckerAndGivesOurLogits() => CheckWithPython(KerasCifar10(), PatternInput(3, 32, 2f));

    private static ImportedModel KerasCifar10() =>
        ModelImporter.Import(new ImportOptions(InteropFixtures.Path("keras_reduced.pth"), ClassesFile: InteropFixtures.Path("paper_classes.txt")));

    [Fact]
    public void AdaptivePoolingThatOnnxCannotExpressIsRefused()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.Torchvision, Classes: 3, InputSize: 256, Widths: new LayerWidths(4, 4, 4, 4, 4, 4)));
        var error = Assert.Throws<AlexNetException>(() =>
            OnnxExporter.Export(_folder.File("x.onnx"), network, ["a", "b", "c"], new Preprocessing([0f, 0f, 0f], [1f, 1f, 1f], ChannelOrder.Rgb, 256)));
        Assert.Contains("avgpool", error.Message);
        Assert.False(File.Exists(_folder.File("x.onnx")));
    }

    /// <summary>Exports, runs check_onnx.py, compares its logits with ours; returns the model's metadata.</summary>
    private JsonElement CheckWithPython(ImportedModel model, Tensor input)
    {
        var onnx = _folder.File("model.onnx");
        OnnxExporter.Export(onnx, model.Network, model.ClassNames, model.Preprocessing);
        var inputFile = _folder.File("input.f32");
        var outputFile = _folder.File("logits.f32");
        File.WriteAllBytes(inputFile, System.Runtime.InteropServices.MemoryMarshal.AsBytes(input.Data.AsSpan()).ToArray());
        var script = System.IO.Path.Combine(AppContext.BaseDirectory, "Scripts", "check_onnx.py");
        var (code, output, error) = PythonTools.Run([script, onnx, inputFile, string.Join(",", input.Shape.Dimensions), outputFile], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, $"check_onnx.py failed ({code}): {error}");

        var theirs = new Tensor(input.Shape[0], model.Network.Config.Classes);
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(outputFile)).CopyTo(theirs.Data);
        var ours = Logits(model.Network, input);
        Agreement.Close(theirs, ours, Relative, "ONNX logits (torch evaluator)");
        if (File.Exists(outputFile + ".reference"))
        {
            var reference = new Tensor(theirs.Shape);
            System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(outputFile + ".reference")).CopyTo(reference.Data);
            Agreement.Close(reference, ours, Relative, "ONNX logits (onnx.reference)");
        }
        var report = JsonDocument.Parse(output).RootElement.Clone();
        Assert.Equal(7, report.GetProperty("ir_version").GetInt32());
        Assert.Equal("input", report.GetProperty("input").GetString());
        return report.GetProperty("metadata");
    }
}
