using System.Text;
using AlexNet.Data.Sources;
using AlexNet.Tests.Data.Archives;
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

    [Fact]
    public void ACifarArchiveWhosePaxHeaderClaimsHundredsOfMegabytesIsRefusedWithinItsBound()
    {
        // Found by bench/fuzz.sh (seed 2, cifar-archive mutant 1332): a 31 KB archive whose pax header's size field had
        // become 03000000034 (384 MiB) made .NET's TarReader allocate 537 MB. Our reader refuses it at the header.
        var claim = Encoding.ASCII.GetBytes("03000000034\0");
        var archive = _tree.Write("cifar-10-binary.tar.gz", HandTar.Gzip(
            [.. HandTar.Header("././@PaxHeader", 0, 'x', sizeField: claim), .. new byte[30_000], .. HandTar.End()]));
        var error = RefusedWithin(archive, 1 << 20);
        Assert.Contains($"CIFAR archive '{archive}' is truncated or corrupt", error.Message);
        Assert.Contains("pax header at byte 0 declares 402,653,212 bytes", error.Message);
    }

    [Fact]
    public void ACifarArchiveEntryLargerThanAnyCifarFileIsRefusedBeforeItsDataIsRead()
    {
        // 400 KB of incompressible bytes could inflate to 400 MB, so the archive's own capacity does not refuse a 300 MB
        // entry: the size of the largest CIFAR file does.
        var noise = new byte[400_000];
        new Random(5).NextBytes(noise);
        var declared = 300L << 20;
        var archive = _tree.Write("cifar-10-binary.tar.gz", HandTar.Gzip([.. HandTar.Header("cifar-10-batches-bin/data_batch_1.bin", declared), .. noise]));
        var error = RefusedWithin(archive, 2 << 20);
        Assert.Contains($"CIFAR archive '{archive}' holds 'cifar-10-batches-bin/data_batch_1.bin' of 314,572,800 bytes, larger than any CIFAR file", error.Message);
    }

    [Fact]
    public void ACifarArchiveEntryLargerThanTheFileCanInflateToIsRefused()
    {
        var archive = _tree.Write("cifar-10-binary.tar", [.. HandTar.Header("cifar-10-batches-bin/data_batch_1.bin", 30_730_000), .. new byte[4096]]);
        var error = RefusedWithin(archive, 1 << 20);
        Assert.Contains("declares 30,730,000 bytes, more than the archive can hold", error.Message);
        Assert.Contains(archive, error.Message);
    }

    private static AlexNetException RefusedWithin(string archive, long bound)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AlexNetException>(() => CifarData.Open(archive));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < bound, $"allocated {allocated:N0} bytes");
        return error;
    }
}
