using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Cli;
using AlexNet.Data;
using AlexNet.Imaging;
using AlexNet.Inference;
using AlexNet.Interop.Onnx;
using AlexNet.Interop.Tests.Support;
using AlexNet.Layers;
using AlexNet.Randomness;
using AlexNet.Tensors;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = AlexNet.Tensors.Tensor;
using static AlexNet.Interop.Tests.Support.InteropFixtures;

namespace AlexNet.Interop.Tests.Onnx;

/// <summary>
/// Exported models run in ONNX Runtime (the NuGet package .NET applications deploy with) and give our logits within
/// relative 1e-4: imported PyTorch, Caffe and TensorFlow-ported Caffe weights, a model trained by <c>alexnet train</c>
/// and one fine-tuned from it with <c>--init --freeze features</c>.
/// </summary>
public sealed class OnnxRuntimeTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string?> Imported => new()
    {
        { "torchvision_reduced.pth", null },
        { "paper_reduced.pth", "paper_classes.txt" },
        { "caffe_v1.caffemodel", null },
        { "caffenet.caffemodel", null },
        { "bvlc_reduced.npy", "bvlc_reduced_classes.txt" },
    };

    [Theory]
    [MemberData(nameof(Imported))]
    public void ImportedModelsGiveOurLogitsInOnnxRuntime(string file, string? classes)
    {
        var target = _folder.File("imported.safetensors");
        ModelImporter.ImportToFile(new ImportOptions(InteropFixtures.Path(file), ClassesFile: classes is null ? null : InteropFixtures.Path(classes)), target);
        CompareWithOnnxRuntime(target, batch: 2);
    }

    [Fact]
    public void TrainedAndFineTunedModelsGiveOurLogitsInOnnxRuntime()
    {
        WriteIdx(_folder.File("source"), 160, classes: 4, seed: 1, ["a", "b", "c", "d"]);
        WriteIdx(_folder.File("target"), 96, classes: 3, seed: 2, ["x", "y", "z"]);
        Run("train", "--data", _folder.File("source"), "--epochs", "1", "--batch-size", "32", "--val-split", "0", "--out", _folder.File("trained"), "--backend", "managed");
        CompareWithOnnxRuntime(_folder.File("trained/last.safetensors"), batch: 3);
        Run("train", "--data", _folder.File("target"), "--init", _folder.File("trained/last.safetensors"), "--freeze", "features", "--epochs", "1",
            "--batch-size", "32", "--val-split", "0", "--out", _folder.File("tuned"), "--backend", "managed");
        CompareWithOnnxRuntime(_folder.File("tuned/last.safetensors"), batch: 3);
    }

    /// <summary>The README's ten lines, as written there, against the classifier of the same checkpoint.</summary>
    [Fact]
    public void TheReadmesTenLinesClassifyAPhoto()
    {
        var target = _folder.File("bvlc.safetensors");
        ModelImporter.ImportToFile(new ImportOptions(InteropFixtures.Path("bvlc_reduced.npy"), ClassesFile: InteropFixtures.Path("bvlc_reduced_classes.txt"),
            Resize: ResizeMode.Squash, Mean255: [104, 117, 124]), target);
        Run("export", "--model", target, "-o", _folder.File("model.onnx"));
        var photo = Photo("chelsea_422.jpg");
        var writer = new StringWriter();

        using var session = new InferenceSession(_folder.File("model.onnx"));
        var metadata = session.ModelMetadata.CustomMetadataMap;
        var preprocessing = JsonSerializer.Deserialize<Preprocessing>(metadata["preprocessing"], JsonDefaults.Options)!;
        var classes = JsonSerializer.Deserialize<string[]>(metadata["classes"])!;
        var crops = new InferenceCrops(preprocessing);
        var input = new AlexNet.Tensors.Tensor(1, crops.Channels, preprocessing.InputSize, preprocessing.InputSize);
        crops.Converter.Write(crops.Views(new NativeImageDecoder().Load(photo, crops.Channels), tenCrop: false)[0], input, 0);
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor<float>(input.Data, input.Shape.ToArray()))]);
        var logits = outputs[0].AsEnumerable<float>().ToArray();
        writer.WriteLine(classes[Array.IndexOf(logits, logits.Max())]);

        var expected = Expected("bvlc_reduced_io.safetensors")["chelsea_logits"].Data;
        Assert.Equal($"class {Top5(expected)[0]:00}", writer.ToString().Trim());
        Assert.Equal(Top5(expected), Top5(logits));
    }

    /// <summary>Exports the checkpoint through the CLI and runs our network and ONNX Runtime on the same seeded input.</summary>
    private void CompareWithOnnxRuntime(string checkpointPath, int batch)
    {
        var onnx = _folder.File($"{Guid.NewGuid():N}.onnx");
        Run("export", "--model", checkpointPath, "-o", onnx);
        var checkpoint = Checkpoint.Load(checkpointPath);
        var network = checkpoint.Network;
        var input = new Tensor(network.InputShape.WithBatch(batch));
        var random = new RandomStream(17);
        for (var i = 0; i < input.Length; i++) input.Data[i] = (float)(random.NextNormal() * 2);
        var ours = network.Forward(input, ForwardContext.Inference);

        using var session = new InferenceSession(onnx);
        Assert.Equal(OnnxExporter.InputName, session.InputMetadata.Keys.Single());
        Assert.Equal(OnnxExporter.OutputName, session.OutputMetadata.Keys.Single());
        var feed = new DenseTensor<float>(input.Data, input.Shape.ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName, feed)]);
        var output = results.Single().AsTensor<float>();
        Assert.Equal([batch, network.Config.Classes], output.Dimensions.ToArray());
        Agreement.Close(ours, new Tensor(ours.Shape, output.ToArray()), Relative, $"ONNX Runtime's logits for {System.IO.Path.GetFileName(checkpointPath)}");
        Assert.Equal(checkpoint.ClassNames.Count, network.Config.Classes);
        Assert.Contains("classes", session.ModelMetadata.CustomMetadataMap.Keys);
    }

    private static void WriteIdx(string folder, int count, int classes, ulong seed, string[] names)
    {
        Directory.CreateDirectory(folder);
        var random = new RandomStream(seed);
        var labels = Enumerable.Range(0, count).Select(_ => (byte)random.NextInt(classes)).ToArray();
        var pixels = new byte[count * 28 * 28];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)(random.NextInt(64) + labels[i / (28 * 28)] * 60);
        IdxFile.Write(System.IO.Path.Combine(folder, "train-images-idx3-ubyte"), [count, 28, 28], pixels);
        IdxFile.Write(System.IO.Path.Combine(folder, "train-labels-idx1-ubyte"), [count], labels);
        File.WriteAllLines(System.IO.Path.Combine(folder, "classes.txt"), names);
    }

    private static void Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(args, output, error);
        Assert.True(code == 0, $"alexnet {string.Join(' ', args)} failed: {error}{output}");
    }
}
