using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

/// <summary>CIFAR-10's binary batches written here record by record (the format is one label byte + 3,072 pixel bytes).</summary>
public sealed class CifarBinaryTests : IDisposable
{
    private const int RecordLength = 1 + CifarBatch.ImageBytes;
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    /// <summary>Records whose label is their first byte and whose R, G, B planes are constants derived from it.</summary>
    internal static byte[] Batch(params byte[] labels)
    {
        var bytes = new byte[labels.Length * RecordLength];
        for (var r = 0; r < labels.Length; r++)
        {
            var record = bytes.AsSpan(r * RecordLength, RecordLength);
            record[0] = labels[r];
            record.Slice(1, 1024).Fill((byte)(10 * labels[r] + 1));
            record.Slice(1025, 1024).Fill((byte)(10 * labels[r] + 2));
            record.Slice(2049, 1024).Fill((byte)(10 * labels[r] + 3));
        }
        return bytes;
    }

    internal static void WriteCifar(TempTree tree, string folder)
    {
        for (var i = 1; i <= 5; i++) tree.Write($"{folder}/data_batch_{i}.bin", Batch((byte)i, (byte)(i + 1)));
        tree.Write($"{folder}/test_batch.bin", Batch(9));
    }

    [Fact]
    public void RecordsAreReadAcrossBatchesAsHwcImages()
    {
        WriteCifar(_tree, "c");
        var set = CifarData.Open(_tree.PathOf("c"));
        var train = set.Train!;
        Assert.Equal(CifarSource.StandardClassNames, train.ClassNames);
        Assert.Equal(10, train.Count);
        Assert.Equal([1, 2, 2, 3, 3, 4, 4, 5, 5, 6], Enumerable.Range(0, 10).Select(train.Label));
        Assert.Equal($"{_tree.PathOf("c/data_batch_2.bin")} record 1", train.Describe(3));
        var image = train.Load(3, 3);
        Assert.Equal((32, 32, 3), (image.Width, image.Height, image.Channels));
        Assert.Equal([31, 32, 33, 31, 32, 33], image.Pixels[..6]);
        Assert.Equal(1, set.Test!.Count);
        Assert.Equal(9, set.Test.Label(0));
    }

    [Fact]
    public void GreyIsPilLuma()
    {
        WriteCifar(_tree, "c");
        var record = new byte[RecordLength];
        // Pixel 0: pure red; pixel 1: white; pixel 2: (10, 200, 30).
        record[1] = 255; record[2] = 255; record[3] = 10;
        record[1025 + 1] = 255; record[1025 + 2] = 200;
        record[2049 + 1] = 255; record[2049 + 2] = 30;
        _tree.Write("c/test_batch.bin", record);
        var grey = CifarData.Open(_tree.PathOf("c")).Test!.Load(0, 1);
        // PIL: (R*19595 + G*38470 + B*7471 + 0x8000) >> 16; 0.299*255 = 76.2, 10*.299 + 200*.587 + 30*.114 = 123.81.
        Assert.Equal([76, 255, 124, 0], grey.Pixels[..4]);
    }

    [Fact]
    public void ClassNamesComeFromTheMetaFile()
    {
        WriteCifar(_tree, "c");
        _tree.Text("c/batches.meta.txt", string.Join("\n", Enumerable.Range(0, 10).Select(i => $"class{i}")) + "\n\n");
        Assert.Equal("class9", CifarData.Open(_tree.PathOf("c")).ClassNames[9]);
    }

    [Fact]
    public void BadLengthsAndLabelsNameEveryFile()
    {
        WriteCifar(_tree, "c");
        _tree.Write("c/data_batch_2.bin", new byte[RecordLength + 5]);
        _tree.Write("c/data_batch_4.bin", []);
        _tree.Write("c/data_batch_5.bin", Batch(1, 12, 3, 200));
        var error = Assert.Throws<AlexNetException>(() => CifarData.Open(_tree.PathOf("c")));
        Assert.Contains("data_batch_2.bin' is 3078 bytes", error.Message);
        Assert.Contains("data_batch_4.bin' is 0 bytes", error.Message);
        Assert.Contains("data_batch_5.bin' has labels outside the 10 classes in record(s) 1, 3", error.Message);
        Assert.DoesNotContain("data_batch_1", error.Message);
    }

    [Fact]
    public void MissingTrainingBatchesAreAllNamed()
    {
        WriteCifar(_tree, "c");
        File.Delete(_tree.PathOf("c/data_batch_3.bin"));
        File.Delete(_tree.PathOf("c/data_batch_5.bin"));
        var error = Assert.Throws<AlexNetException>(() => CifarData.Open(_tree.PathOf("c")));
        Assert.Contains("data_batch_3.bin', '", error.Message);
        Assert.Contains("data_batch_5.bin'", error.Message);
    }
}
