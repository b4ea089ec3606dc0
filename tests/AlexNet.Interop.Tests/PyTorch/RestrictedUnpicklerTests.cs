using AlexNet.Pickle;
using AlexNet.Interop.PyTorch;
using AlexNet.Interop.Tests.Support;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>The unpickler reads data only: foreign globals and code-running opcodes are refused by name.</summary>
public sealed class RestrictedUnpicklerTests
{
    private static object? Unpickle(byte[] pickle) => new RestrictedUnpickler(pickle, "test.pkl", new TorchPickleRules("test.pkl")).Load();

    private static byte[] Bytes(params object[] parts) => PickleBytes.Of(parts);

    [Fact]
    public void TorchSaveOfAnObjectThatCallsOsSystemIsRefusedByName()
    {
        // Python pickles os.system as posix.system; the fixture's pickle would run a shell command if loaded by pickle.load.
        using var folder = new TempFolder();
        var output = folder.File("out.safetensors");
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.ImportToFile(new ImportOptions(InteropFixtures.Path("evil_reduce.pth")), output));
        Assert.Contains("'posix.system'", error.Message);
        Assert.Contains("nothing in the file is executed", error.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void GlobalOpcodeNamingOsSystemIsRefused()
    {
        // \x80\x02 c"os\nsystem\n" X"echo" \x85 R .  — os.system(("echo",))
        var pickle = Bytes(0x80, 2, "cos\nsystem\n", PickleBytes.Text("echo"), 0x85, "R.");
        using var folder = new TempFolder();
        var path = folder.File("model.pth");
        File.WriteAllBytes(path, TorchZip.WithPickle(pickle));
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.Import(new ImportOptions(path)));
        Assert.Contains("'os.system'", error.Message);
    }

    [Fact]
    public void StackGlobalNamingBuiltinsEvalIsRefused()
    {
        // Protocol 4: SHORT_BINUNICODE "builtins", SHORT_BINUNICODE "eval", STACK_GLOBAL.
        var pickle = Bytes(0x80, 4, 0x8c, 8, "builtins", 0x8c, 4, "eval", 0x93, ".");
        var error = Assert.Throws<AlexNetException>(() => Unpickle(pickle));
        Assert.Contains("'builtins.eval'", error.Message);
    }

    [Fact]
    public void InstOpcodeIsRefused()
    {
        var pickle = Bytes(0x80, 2, "(ios\nsystem\n.");
        var error = Assert.Throws<AlexNetException>(() => Unpickle(pickle));
        Assert.Contains("INST", error.Message);
    }

    [Fact]
    public void AllowedClassIsRecordedAsDataNotRun()
    {
        // NEWOBJ of torch.nn.modules.linear.Linear, then BUILD with {"in_features": 3}.
        var pickle = Bytes(0x80, 2, "ctorch.nn.modules.linear\nLinear\n)", 0x81, "}", 0x8c, 11, "in_features", 0x4b, 3, "sb.");
        var instance = Assert.IsType<PickleInstance>(Unpickle(pickle));
        Assert.Equal("torch.nn.modules.linear.Linear", instance.Type.FullName);
        var state = Assert.IsType<PickleDict>(instance.State);
        Assert.True(state.TryGet("in_features", out var value));
        Assert.Equal(3L, value);
    }

    [Fact]
    public void TruncatedPickleSaysSo()
    {
        var pickle = Bytes(0x80, 2, "}", 0x58, 100, 0, 0, 0, "abc");
        var error = Assert.Throws<AlexNetException>(() => Unpickle(pickle));
        Assert.Contains("truncated", error.Message);
    }
}
