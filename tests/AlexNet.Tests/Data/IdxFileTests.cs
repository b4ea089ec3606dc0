using System.IO.Compression;
using AlexNet.Data;
using Xunit;

namespace AlexNet.Tests.Data;

public sealed class IdxFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-idx-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ReadsPlainAndGzippedFiles()
    {
        var values = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)i).ToArray();
        var plain = Path.Combine(_folder, "a-idx3-ubyte");
        IdxFile.Write(plain, [2, 3, 4], values);
        var gzipped = plain + ".gz";
        using (var output = File.Create(gzipped))
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(File.ReadAllBytes(plain));
        }
        foreach (var path in new[] { plain, gzipped })
        {
            var idx = IdxFile.Read(path);
            Assert.Equal([2, 3, 4], idx.Dimensions);
            Assert.Equal(values, idx.Values);
        }
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 8, 1 }, "IDX magic")]
    [InlineData(new byte[] { 0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0 }, "only unsigned bytes")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0 }, "truncated header")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 5, 1, 2 }, "truncated or padded")]
    public void MalformedFilesNameTheFileAndTheProblem(byte[] content, string expected)
    {
        var path = Path.Combine(_folder, "broken-idx1-ubyte");
        File.WriteAllBytes(path, content);
        var error = Assert.Throws<AlexNetException>(() => IdxFile.Read(path));
        Assert.Contains("broken-idx1-ubyte", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void MissingFashionMnistFolderNamesTheDebianPackage()
    {
        var error = Assert.Throws<AlexNetException>(() => FashionMnist.LoadTrain(Path.Combine(_folder, "nowhere")));
        Assert.Contains("dataset-fashion-mnist", error.Message);
    }

    [Fact]
    public void MissingLabelFileIsNamed()
    {
        IdxFile.Write(Path.Combine(_folder, "train-images-idx3-ubyte"), [1, 28, 28], new byte[784]);
        var error = Assert.Throws<AlexNetException>(() => FashionMnist.LoadTrain(_folder));
        Assert.Contains("train-labels-idx1-ubyte", error.Message);
    }

    [Fact]
    public void LabelsOutsideTheClassesAreRejected()
    {
        IdxFile.Write(Path.Combine(_folder, "train-images-idx3-ubyte"), [2, 28, 28], new byte[2 * 784]);
        IdxFile.Write(Path.Combine(_folder, "train-labels-idx1-ubyte"), [2], [3, 12]);
        var error = Assert.Throws<AlexNetException>(() => FashionMnist.LoadTrain(_folder));
        Assert.Contains("label 12 of image 1", error.Message);
    }

    [Fact]
    public void RealFashionMnistHasTheDocumentedSize()
    {
        // scripts/test.sh installs dataset-fashion-mnist before the suite runs.
        var test = FashionMnist.LoadTest();
        Assert.Equal(10_000, test.Count);
        Assert.Equal((1, 28, 28), (test.Channels, test.Height, test.Width));
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(1000, test.Labels.Count(l => l == c)));
    }
}
