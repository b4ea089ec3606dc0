using AlexNet.Data.Images;
using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

public sealed class ImageScanTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    /// <summary>A class folder tree with good images and every kind of bad one, in ordinal order within class "c".</summary>
    private ClassFolderSource BadTree()
    {
        _tree.Image("d/c/a-good.jpg");
        _tree.Write("d/c/b-empty.jpg", []);
        var truncated = FakePnmDecoder.Encode(4, 4, 3, 1);
        _tree.Write("d/c/c-truncated.png", truncated[..^5]);
        _tree.Text("d/c/d-text.jpg", "this is not an image at all");
        _tree.Folder("d/c/e-folder.jpg");
        File.CreateSymbolicLink(_tree.PathOf("d/c/f-dangling.jpg"), _tree.PathOf("d/c/nowhere.jpg"));
        _tree.Write("d/c/g-huge.jpg", FakePnmDecoder.Encode(100, 100, 1, 0));
        _tree.Image("d/c/h-good.JPG");
        return ClassFolderSource.Open(_tree.PathOf("d"), new FakePnmDecoder(maxPixels: 5000));
    }

    [Fact]
    public void EveryKindOfBadFileIsFoundWithItsReason()
    {
        var source = BadTree();
        Assert.Equal(8, source.Count);
        var report = ImageScan.Run(source, 3, maxDegreeOfParallelism: 2);
        Assert.Equal(8, report.Scanned);
        Assert.Equal([1, 2, 3, 4, 5, 6], report.Bad.Select(bad => bad.Index));
        string Reason(string name) => report.Bad.Single(bad => bad.Source.EndsWith(name, StringComparison.Ordinal)).Reason;
        Assert.Contains("empty (0 bytes)", Reason("b-empty.jpg"));
        Assert.Contains("truncated", Reason("c-truncated.png"));
        Assert.Contains("not an image", Reason("d-text.jpg"));
        Assert.Contains("folder, not a file", Reason("e-folder.jpg"));
        Assert.Contains("nowhere.jpg', which does not exist", Reason("f-dangling.jpg"));
        Assert.Contains("over the decoder's limit", Reason("g-huge.jpg"));
        Assert.Equal([0, 7], report.GoodIndices());
    }

    [Fact]
    public void UnreadableFileIsBadWhenNotRoot()
    {
        if (OperatingSystem.IsWindows()) return;
        var path = _tree.Image("d/c/locked.jpg");
        File.SetUnixFileMode(path, UnixFileMode.None);
        var source = ClassFolderSource.Open(_tree.PathOf("d"), new FakePnmDecoder());
        var report = ImageScan.Run(source, 1, 1);
        if (Environment.UserName == "root")
        {
            Assert.True(report.IsClean); // root reads mode-000 files; the dangling link and folder cases cover this path
        }
        else
        {
            Assert.Contains("Cannot read image", Assert.Single(report.Bad).Reason);
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void ThrowIfAnyNamesEveryBadFileAndWriteToListsThemAll()
    {
        var report = ImageScan.Run(BadTree(), 3, 2);
        var error = Assert.Throws<AlexNetException>(report.ThrowIfAny);
        Assert.Contains("6 of 8 images", error.Message);
        foreach (var name in new[] { "b-empty.jpg", "c-truncated.png", "d-text.jpg", "e-folder.jpg", "f-dangling.jpg", "g-huge.jpg" })
        {
            Assert.Contains(name, error.Message);
        }
        Assert.DoesNotContain("a-good.jpg", error.Message);
        var listPath = _tree.PathOf("bad.tsv");
        report.WriteTo(listPath);
        var lines = File.ReadAllLines(listPath);
        Assert.Equal(6, lines.Length);
        Assert.All(lines, line => Assert.Equal(2, line.Split('\t').Length));
        Assert.StartsWith(_tree.PathOf("d/c/b-empty.jpg") + "\t", lines[0]);
    }

    [Fact]
    public void LongListsAreCappedInTheMessageButKeptInTheReport()
    {
        var bad = Enumerable.Range(0, 120).Select(i => new BadSample(i, $"file{i:D3}.jpg", "broken")).ToArray();
        var report = new ScanReport(200, bad);
        var error = Assert.Throws<AlexNetException>(report.ThrowIfAny);
        Assert.Contains("120 of 200", error.Message);
        Assert.Contains("file049.jpg", error.Message);
        Assert.DoesNotContain("file050.jpg", error.Message);
        Assert.Contains("and 70 more", error.Message);
        var path = _tree.PathOf("all.tsv");
        report.WriteTo(path);
        Assert.Equal(120, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void CleanScanDoesNotThrowAndProgressReachesTheCount()
    {
        for (var i = 0; i < 30; i++) _tree.Image($"d/c{i % 3}/{i}.jpg");
        var source = ClassFolderSource.Open(_tree.PathOf("d"), new FakePnmDecoder());
        var seen = new List<int>();
        var report = ImageScan.Run(source, 3, 3, new SynchronousProgress(seen));
        report.ThrowIfAny();
        Assert.True(report.IsClean);
        Assert.Equal(30, seen[^1]);
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public void FilteredSourceSkipsBadSamples()
    {
        var source = BadTree();
        var filtered = FilteredSource.WithoutBad(source, ImageScan.Run(source, 3, 2));
        Assert.Equal(2, filtered.Count);
        Assert.Equal(source.ClassNames, filtered.ClassNames);
        Assert.EndsWith("h-good.JPG", filtered.Describe(1));
        Assert.Equal(3, filtered.Load(1, 3).Channels);
        Assert.Equal(0, filtered.Label(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FilteredSource(source, [0, 8]));
    }

    [Fact]
    public void BugsInTheDecoderAreNotSwallowed()
    {
        _tree.Image("d/c/a.jpg");
        var source = ClassFolderSource.Open(_tree.PathOf("d"), new ThrowingDecoder());
        var error = Assert.Throws<AggregateException>(() => ImageScan.Run(source, 3, 1));
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    private sealed class SynchronousProgress(List<int> seen) : IProgress<int>
    {
        public void Report(int value)
        {
            lock (seen) seen.Add(value);
        }
    }

    private sealed class ThrowingDecoder : IImageDecoder
    {
        public Image Decode(ReadOnlySpan<byte> encoded, string source, int channels) => throw new InvalidOperationException("bug");
    }
}
