using AlexNet.Data;
using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

public sealed class IdxSourceTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    internal static void WriteIdx(TempTree tree, string folder, string prefix, params byte[] labels)
    {
        var pixels = labels.SelectMany(label => Enumerable.Repeat(label, 28 * 28)).ToArray();
        Directory.CreateDirectory(tree.PathOf(folder));
        IdxFile.Write(tree.PathOf($"{folder}/{prefix}-images-idx3-ubyte"), [labels.Length, 28, 28], pixels);
        IdxFile.Write(tree.PathOf($"{folder}/{prefix}-labels-idx1-ubyte"), [labels.Length], labels);
    }

    [Fact]
    public void GreyImagesLoadWithOneOrThreeChannels()
    {
        WriteIdx(_tree, "m", "train", 3, 7);
        var source = IdxSource.Open(_tree.PathOf("m/train-images-idx3-ubyte"), _tree.PathOf("m/train-labels-idx1-ubyte"));
        Assert.Equal(10, source.ClassNames.Count);
        Assert.Equal("7", source.ClassNames[7]);
        Assert.Equal([3, 7], new[] { source.Label(0), source.Label(1) });
        Assert.Contains("train-images-idx3-ubyte image 1", source.Describe(1));
        var grey = source.Load(1, 1);
        Assert.Equal((28, 28, 1), (grey.Width, grey.Height, grey.Channels));
        var rgb = source.Load(1, 3);
        Assert.Equal(3 * 28 * 28, rgb.Pixels.Length);
        Assert.All(rgb.Pixels, p => Assert.Equal(7, p));
    }

    [Fact]
    public void LabelsOutsideTheClassesAreNamed()
    {
        WriteIdx(_tree, "m", "train", 3, 12, 1);
        var error = Assert.Throws<AlexNetException>(() =>
            IdxSource.Open(_tree.PathOf("m/train-images-idx3-ubyte"), _tree.PathOf("m/train-labels-idx1-ubyte"), FashionMnist.ClassNames));
        Assert.Contains("train-labels-idx1-ubyte", error.Message);
        Assert.Contains("1 (12)", error.Message);
    }

    [Fact]
    public void CountMismatchNamesTheLabelsFile()
    {
        WriteIdx(_tree, "m", "train", 3, 1);
        IdxFile.Write(_tree.PathOf("m/train-labels-idx1-ubyte"), [3], [1, 2, 3]);
        var error = Assert.Throws<AlexNetException>(() =>
            IdxSource.Open(_tree.PathOf("m/train-images-idx3-ubyte"), _tree.PathOf("m/train-labels-idx1-ubyte")));
        Assert.Contains("train-labels-idx1-ubyte", error.Message);
    }
}
