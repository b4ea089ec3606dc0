using AlexNet.Checkpoints;
using AlexNet.Interop.PyTorch;
using AlexNet.Interop.Tests.Support;
using AlexNet.Tensors;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>Damaged or mismatched weight files fail with a message naming the culprit, and write nothing.</summary>
public sealed class ImportBadInputTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private AlexNetException Fails(byte[] source, string name = "model.pth", string? classes = null)
    {
        var path = _folder.File(name);
        File.WriteAllBytes(path, source);
        var output = _folder.File("out.safetensors");
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.ImportToFile(new ImportOptions(path, ClassesFile: classes), output));
        Assert.False(File.Exists(output), "A failed import left an output file.");
        Assert.Empty(Directory.GetFiles(_folder.Root, ".*.tmp"));
        Assert.Contains(classes ?? path, error.Message);
        return error;
    }

    private static byte[] Fixture(string name) => File.ReadAllBytes(InteropFixtures.Path(name));

    [Fact]
    public void TruncatedArchive()
    {
        var bytes = Fixture("torchvision_reduced.pth");
        var error = Fails(bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated or corrupt", error.Message);
    }

    [Fact]
    public void CorruptCentralDirectory()
    {
        var bytes = Fixture("torchvision_reduced.pth");
        for (var i = bytes.Length - 300; i < bytes.Length - 30; i++) bytes[i] ^= 0x5A;
        var error = Fails(bytes);
        Assert.Contains("corrupt", error.Message);
    }

    [Fact]
    public void MissingStorageEntry()
    {
        // A state_dict whose one tensor points at storage "0", which the archive lacks.
        var pickle = PickleBytes.Of(0x80, 2, "ccollections\nOrderedDict\n)R(", PickleBytes.Text("weight"),
            "ctorch._utils\n_rebuild_tensor_v2\n(", // storage, offset 0, size (2,), stride (1,), requires_grad False, hooks
            "(", PickleBytes.Text("storage"), "ctorch\nFloatStorage\n", PickleBytes.Text("0"), PickleBytes.Text("cpu"), "K", 2, "tQ",
            "K", 0, "K", 2, 0x85, "K", 1, 0x85, 0x89, "ccollections\nOrderedDict\n)RtRu.");
        var bytes = TorchZip.WithPickle(pickle);
        var error = Fails(bytes);
        Assert.Contains("'data/0'", error.Message);
        Assert.Contains("'weight'", error.Message);
    }

    [Fact]
    public void TensorViewBeyondItsStorage()
    {
        // Size (5,) over a storage of 2 floats: refused before anything is allocated or read.
        var pickle = PickleBytes.Of(0x80, 2, "ccollections\nOrderedDict\n)R(", PickleBytes.Text("weight"),
            "ctorch._utils\n_rebuild_tensor_v2\n(",
            "(", PickleBytes.Text("storage"), "ctorch\nFloatStorage\n", PickleBytes.Text("0"), PickleBytes.Text("cpu"), "K", 2, "tQ",
            "K", 0, "K", 5, 0x85, "K", 1, 0x85, 0x89, "ccollections\nOrderedDict\n)RtRu.");
        var bytes = TorchZip.WithPickle(pickle, new Dictionary<string, byte[]> { ["0"] = new byte[8] });
        var error = Fails(bytes);
        Assert.Contains("'weight' reaches element 4 of a storage with 2", error.Message);
    }

    [Fact]
    public void ModuleThatContainsItself()
    {
        var pickle = PickleBytes.Of(0x80, 2, "ctorch.nn.modules.container\nSequential\n)", 0x81, "q", 0,
            "}(", PickleBytes.Text("_modules"), "ccollections\nOrderedDict\n)R(", PickleBytes.Text("0"), "h", 0, "uub.");
        var error = Fails(TorchZip.WithPickle(pickle));
        Assert.Contains("module '0' contains itself", error.Message);
    }

    [Fact]
    public void MissingExtraAndMisshapenKeysAreAllListed()
    {
        var weights = TorchCheckpointReader.Read(Fixture("torchvision_reduced.pth"), "fixture").ToDictionary();
        weights.Remove("features.3.bias");
        weights["features.99.weight"] = new Tensor(2, 2);
        weights["classifier.4.weight"] = new Tensor(16, 15);
        var path = _folder.File("bad.safetensors");
        SafeTensorsFile.Write(path, weights, new Dictionary<string, string>());

        var error = Fails(File.ReadAllBytes(path), "bad-copy.safetensors");
        Assert.Contains("3 problems", error.Message);
        Assert.Contains("missing 'features.3.bias'", error.Message);
        Assert.Contains("unexpected 'features.99.weight'", error.Message);
        Assert.Contains("'classifier.4.weight' has shape (16, 15), the model needs (16, 16)", error.Message);
    }

    [Fact]
    public void UnknownParameterNamesAskForTheArchitecture()
    {
        var path = _folder.File("odd.safetensors");
        SafeTensorsFile.Write(path, [KeyValuePair.Create("encoder.weight", new Tensor(2, 2))], new Dictionary<string, string>());
        var error = Fails(File.ReadAllBytes(path), "odd-copy.safetensors");
        Assert.Contains("'encoder.weight'", error.Message);
        Assert.Contains("--arch", error.Message);
    }

    [Fact]
    public void ClassListOfTheWrongLength()
    {
        var classes = _folder.File("classes.txt");
        File.WriteAllLines(classes, ["a", "b", "c"]);
        var error = Fails(Fixture("paper_reduced.pth"), classes: classes);
        Assert.Contains("3 names", error.Message);
        Assert.Contains("10 classes", error.Message);
    }

    [Fact]
    public void ModelWithoutClassNamesNeedsAClassList()
    {
        var error = Fails(Fixture("paper_reduced.pth"));
        Assert.Contains("--classes", error.Message);
    }

    [Fact]
    public void OwnCheckpointIsNotReimported()
    {
        var checkpoint = _folder.File("own.safetensors");
        ModelImporter.ImportToFile(new ImportOptions(InteropFixtures.Path("torchvision_reduced.pth")), checkpoint);
        var error = Fails(File.ReadAllBytes(checkpoint), "own-copy.safetensors");
        Assert.Contains("already an alexnet checkpoint", error.Message);
    }

    [Fact]
    public void UnrecognizedFile()
    {
        var error = Fails("just some text, not weights"u8.ToArray(), "notes.bin");
        Assert.Contains("neither a PyTorch checkpoint", error.Message);
    }

    [Fact]
    public void LegacyPickleFormat()
    {
        var error = Fails([0x80, 0x02, 0x8a, 0x0a], "old.pth");
        Assert.Contains("PyTorch ≥ 1.6", error.Message);
    }

    [Fact]
    public void TruncatedSafeTensors()
    {
        var bytes = Fixture("torchvision_reduced_f16.safetensors");
        var error = Fails(bytes[..(bytes.Length - 1000)], "cut.safetensors");
        Assert.Contains("safetensors", error.Message);
    }
}
