using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

/// <summary>Regression tests of what the fuzzer (tests/AlexNet.Fuzzing) found in the data readers.</summary>
public sealed class FuzzFindingsTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void AJsonMapThatIsNotUtf8IsNamed()
    {
        // Found: an invalid UTF-8 byte in a key ended in an InvalidOperationException from the JSON reader.
        var labels = _tree.Write("labels.json", [.. "{\"a"u8, 0xC3, .. "\": \"cat\"}"u8]);
        var index = _tree.Text("index.json", """{"cat": 0}""");
        var error = Assert.Throws<AlexNetException>(() => SeedJsonMaps.Read(labels, index));
        Assert.Contains(labels, error.Message);
        Assert.Contains("UTF-8", error.Message);
    }

    [Fact]
    public void LabelsBeyondTheNamesOfAMetaFileNameThatFile()
    {
        // Found: a CIFAR meta file cut to three names made every batch's labels "outside the classes" without naming the
        // file that was really at fault.
        CifarBinaryTests.WriteCifar(_tree, "c");
        var meta = _tree.Text("c/batches.meta.txt", "airplane\nautomobile\nbird\n");
        var error = Assert.Throws<AlexNetException>(() => CifarData.Open(_tree.PathOf("c")));
        Assert.Contains($"outside the 3 classes named in '{meta}'", error.Message);
    }
}
