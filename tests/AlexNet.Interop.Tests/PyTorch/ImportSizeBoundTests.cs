using AlexNet.Checkpoints;
using AlexNet.Interop.Caffe.Schema;
using AlexNet.Interop.PyTorch;
using AlexNet.Interop.Tests.Support;
using AlexNet.Models;
using AlexNet.Tensors;
using Google.Protobuf;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>
/// Weight files whose shapes declare far more than their bytes hold: a width read from a tiny tensor, a view that
/// repeats one stored value, a dimension past any array. Each is refused naming the file and the key, and none makes
/// the import allocate the network it describes (tens of megabytes here) or more than a few times the file.
/// </summary>
public sealed class ImportSizeBoundTests : IDisposable
{
    /// <summary>Far below the 64 MiB a 4096 × 4096 layer takes; far above what reading these small files costs.</summary>
    private const long SmallAllocation = 4 << 20;

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(0)] // no bytes at all for a 4096-row weight
    public void AWideLayerReadFromATinyWeightIsRefusedBeforeTheNetworkExists(int inputs)
    {
        // classifier.1 (fc6) says 4096 outputs with a (4096, inputs) weight: the hidden width would become 4096, making
        // classifier.4 a 4096 × 4096 layer (64 MiB) from a file of a few kilobytes.
        var tensors = TinyTorchvision();
        tensors["classifier.1.weight"] = new Tensor(4096, inputs);
        tensors["classifier.1.bias"] = new Tensor(4096);
        var path = _folder.File("wide.safetensors");
        SafeTensorsFile.Write(path, tensors, new Dictionary<string, string>());
        var output = _folder.File("out.safetensors");

        var error = Refused(() => ModelImporter.ImportToFile(new ImportOptions(path), output));

        Assert.Contains(path, error.Message);
        Assert.Contains($"'classifier.1.weight' has shape (4096, {inputs}), the model needs (4096, 144)", error.Message);
        Assert.Contains("'classifier.4.weight' has shape (8, 8), the model needs (4096, 4096)", error.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void AViewThatRepeatsOneStoredValueIsRefused()
    {
        // A stride of 0 (what expand() makes) would let one stored float fill a 4096 × 4096 tensor.
        var bytes = TorchZip.WithPickle(StateDict(("fc6.weight", "0", 1, [4096, 4096], [0, 0])), new Dictionary<string, byte[]> { ["0"] = new byte[4] });
        var error = Refused(() => TorchCheckpointReader.Read(bytes, "expanded.pth"));
        Assert.Contains("'expanded.pth': tensor 'fc6.weight' of size (4096, 4096) has more values than its storage's 1 elements", error.Message);
    }

    [Fact]
    public void ViewsThatTogetherHoldMoreThanTheirStorageAreRefusedAndATiedViewIsReadOnce()
    {
        var storage = new Dictionary<string, byte[]> { ["0"] = new byte[4 * 300] };
        // Two keys naming the same view (tied weights) share one copy.
        var tied = TorchCheckpointReader.Read(TorchZip.WithPickle(StateDict(("a", "0", 300, [300], [1]), ("b", "0", 300, [300], [1])), storage), "tied.pth");
        Assert.Same(tied[0].Value.Data, tied[1].Value.Data);
        // Overlapping views of one storage (each within it) that together read it more than once are not.
        var overlapping = TorchZip.WithPickle(StateDict(("a", "0", 300, [300], [1], 0), ("b", "0", 300, [299], [1], 1)), storage);
        var error = Refused(() => TorchCheckpointReader.Read(overlapping, "overlap.pth"));
        Assert.Contains("'overlap.pth': tensor 'b' and the other views of storage 'data/0' hold 2396 bytes of values, more than its 1200", error.Message);
    }

    [Fact]
    public void ACaffeBlobDimensionPastAnyArrayIsAProblemOfItsLayer()
    {
        var net = NetParameter.Parser.ParseFrom(File.ReadAllBytes(InteropFixtures.Path("caffenet.caffemodel")));
        var conv1 = net.Layer.First(layer => layer.Type == "Convolution");
        conv1.Blobs[0].Shape = new BlobShape { Dim = { 1L << 40, 3, 11, 11 } };
        var path = _folder.File("huge.caffemodel");
        File.WriteAllBytes(path, net.ToByteArray());

        var error = Refused(() => ModelImporter.Import(new ImportOptions(path)));

        Assert.Contains(path, error.Message);
        Assert.Contains($"layer '{conv1.Name}' (conv1) weights: its shape (1099511627776, 3, 11, 11) is not a tensor's", error.Message);
    }

    /// <summary>torchvision's names and layout at widths 4/4/4/4/4/8 and 10 classes (fc6 takes 4 × 6 × 6 = 144 features).</summary>
    private static Dictionary<string, Tensor> TinyTorchvision()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Torchvision, 10, Widths: new LayerWidths(4, 4, 4, 4, 4, 8)), seed: 1);
        return network.Parameters.ToDictionary(p => p.Name, p => p.Value);
    }

    /// <summary>An OrderedDict of float32 tensors, each (name, storage key, storage elements, sizes, strides[, offset]).</summary>
    private static byte[] StateDict(params (string Name, string Key, int Elements, int[] Sizes, int[] Strides, int Offset)[] tensors)
    {
        var parts = new List<object> { 0x80, 2, "ccollections\nOrderedDict\n)R(" };
        foreach (var (name, key, elements, sizes, strides, offset) in tensors)
        {
            parts.AddRange(
            [
                PickleBytes.Text(name), "ctorch._utils\n_rebuild_tensor_v2\n(",
                "(", PickleBytes.Text("storage"), "ctorch\nFloatStorage\n", PickleBytes.Text(key), PickleBytes.Text("cpu"), Int(elements), "tQ",
                Int(offset), "(", sizes.SelectMany(Int).ToArray(), "t(", strides.SelectMany(Int).ToArray(), "t",
                0x89, "ccollections\nOrderedDict\n)RtR",
            ]);
        }
        parts.Add("u.");
        return PickleBytes.Of([.. parts]);
    }

    private static byte[] StateDict(params (string Name, string Key, int Elements, int[] Sizes, int[] Strides)[] tensors) =>
        StateDict(tensors.Select(t => (t.Name, t.Key, t.Elements, t.Sizes, t.Strides, 0)).ToArray());

    /// <summary>BININT: opcode 'J' and a 4-byte little-endian integer.</summary>
    private static byte[] Int(int value) => [(byte)'J', .. BitConverter.GetBytes(value)];

    private static AlexNetException Refused(Action load)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AlexNetException>(load);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < SmallAllocation, $"allocated {allocated:N0} bytes\n{error.Message}");
        return error;
    }
}
