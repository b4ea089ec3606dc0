using System.IO.Compression;
using System.Text;
using AlexNet.Interop.PyTorch;
using AlexNet.Interop.Tests.Support;
using AlexNet.Pickle;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>Regression tests of what the fuzzer (tests/AlexNet.Fuzzing) found in the weight readers.</summary>
public sealed class FuzzFindingsTests
{
    [Fact]
    public void AMissingWeightIsNamedBeforeAnyFullSizeNetworkIsBuilt()
    {
        // Found: "fc6.weight" renamed in the pickle made the width fall back to the paper's 4096, so a 60 KB file
        // built a 61-million-parameter network (0.5 GB) before failing.
        var original = File.ReadAllBytes(InteropFixtures.Path("paper_reduced.pth"));
        var renamed = ReplaceInPickle(original, "fc6.weight", "fc6.weigh\0");
        using var folder = new TempFolder();
        var path = folder.File("renamed.pth");
        File.WriteAllBytes(path, renamed);
        var output = folder.File("out.safetensors");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AlexNetException>(() =>
            ModelImporter.ImportToFile(new ImportOptions(path, ClassesFile: InteropFixtures.Path("paper_classes.txt")), output));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(path, error.Message);
        Assert.Contains("'fc6.weight'", error.Message);
        Assert.True(allocated < 20 * renamed.Length, $"allocated {allocated:N0} bytes for a {renamed.Length:N0}-byte file");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ManyMarksCostNoCopiesOfTheStack()
    {
        // MARK used to copy the whole stack aside: 20,000 items then 100,000 MARK/POP_MARK pairs (200 KB of pickle)
        // allocated 100,000 copies of the stack, 16 GB.
        var pickle = new List<byte> { 0x80, 0x02, 0x5d, 0x28 }; // PROTO 2, EMPTY_LIST, MARK
        for (var i = 0; i < 20_000; i++) pickle.AddRange([0x4b, 1]); // BININT1 1
        for (var i = 0; i < 100_000; i++) pickle.AddRange([0x28, 0x31]); // MARK, POP_MARK
        pickle.AddRange([0x65, 0x2e]); // APPENDS, STOP: one list of 20,000 ones
        var before = GC.GetAllocatedBytesForCurrentThread();
        var list = (List<object?>)new RestrictedUnpickler([.. pickle], "marks.pkl", new TorchPickleRules("marks.pkl")).Load()!;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20_000, list.Count);
        Assert.True(allocated < 8 << 20, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AnAppendToSomethingThatIsNotAListIsAMalformedPickle()
    {
        // NONE, BININT1 1, APPEND: used to be a NullReferenceException.
        var error = Assert.Throws<AlexNetException>(() =>
            new RestrictedUnpickler([0x80, 0x02, 0x4e, 0x4b, 1, 0x61, 0x2e], "append.pkl", new TorchPickleRules("append.pkl")).Load());
        Assert.Contains("append.pkl", error.Message);
        Assert.Contains("an append to None", error.Message);
    }

    [Fact]
    public void ItemsBelowAMarkAreOutOfReachOfTheOpcodesAfterIt()
    {
        // EMPTY_LIST, MARK, BININT1 1, APPEND: Python refuses to append to the list below the mark; so do we.
        var error = Assert.Throws<AlexNetException>(() =>
            new RestrictedUnpickler([0x80, 0x02, 0x5d, 0x28, 0x4b, 1, 0x61, 0x2e], "mark.pkl", new TorchPickleRules("mark.pkl")).Load());
        Assert.Contains("mark.pkl", error.Message);
    }

    [Fact]
    public void ASafetensorsHeaderThatIsNotUtf8IsAMalformedFile()
    {
        // Found: a byte of a tensor name mutated into invalid UTF-8 ended in an InvalidOperationException from the JSON reader.
        var header = "{\"a\xff\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"u8.ToArray();
        header[4] = 0xff; // the byte after 'a' in the name
        using var folder = new TempFolder();
        var path = folder.File("bad.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.ImportToFile(new ImportOptions(path), folder.File("out.safetensors")));
        Assert.Contains(path, error.Message);
        Assert.Contains("not valid UTF-8", error.Message);
    }

    private static byte[] ReplaceInPickle(byte[] archive, string from, string to)
    {
        using var source = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        using var memory = new MemoryStream();
        using (var target = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var input = entry.Open();
                using var copy = new MemoryStream();
                input.CopyTo(copy);
                var bytes = copy.ToArray();
                if (entry.FullName.EndsWith("data.pkl", StringComparison.Ordinal))
                {
                    var text = Encoding.Latin1.GetString(bytes);
                    Assert.Contains(from, text);
                    bytes = Encoding.Latin1.GetBytes(text.Replace(from, to, StringComparison.Ordinal));
                }
                using var output = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                output.Write(bytes);
            }
        }
        return memory.ToArray();
    }
}
