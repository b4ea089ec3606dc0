using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

public sealed class ClassFolderSourceTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly FakePnmDecoder _decoder = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void ClassesAndFilesAreSortedOrdinallyAndExtensionsMatchInAnyCase()
    {
        _tree.Image("split/b/2.PNG", 20);
        _tree.Image("split/b/10.jpg", 10);
        _tree.Image("split/B/x.JpEg", 30);
        _tree.Image("split/a/z.jpeg", 40);
        _tree.Text("split/a/notes.txt", "not an image");
        _tree.Image("split/.hidden/h.jpg");
        var source = ClassFolderSource.Open(_tree.PathOf("split"), _decoder);

        Assert.Equal(["B", "a", "b"], source.ClassNames);
        Assert.Equal(4, source.Count);
        Assert.Equal(["B/x.JpEg", "a/z.jpeg", "b/10.jpg", "b/2.PNG"], source.Paths.Select(p => Path.GetRelativePath(_tree.PathOf("split"), p)));
        Assert.Equal([0, 1, 2, 2], Enumerable.Range(0, 4).Select(source.Label));
        Assert.Equal(_tree.PathOf("split/b/10.jpg"), source.Describe(2));
        var image = source.Load(3, 3);
        Assert.Equal((3, 2, 3), (image.Width, image.Height, image.Channels));
        Assert.All(image.Pixels, p => Assert.Equal(20, p));
        Assert.Equal(1, source.Load(3, 1).Channels);
    }

    [Fact]
    public void EmptyClassFoldersAreAllNamed()
    {
        _tree.Image("split/cat/1.jpg");
        _tree.Folder("split/dog");
        _tree.Text("split/emu/readme.txt", "no images here");
        var error = Assert.Throws<AlexNetException>(() => ClassFolderSource.Open(_tree.PathOf("split"), _decoder));
        Assert.Contains(_tree.PathOf("split/dog"), error.Message);
        Assert.Contains(_tree.PathOf("split/emu"), error.Message);
        Assert.DoesNotContain(_tree.PathOf("split/cat"), error.Message);
    }

    [Fact]
    public void FolderWithoutClassFoldersIsNamed()
    {
        _tree.Image("split/1.jpg");
        var error = Assert.Throws<AlexNetException>(() => ClassFolderSource.Open(_tree.PathOf("split"), _decoder));
        Assert.Contains(_tree.PathOf("split"), error.Message);
        Assert.Contains("no class sub-folders", error.Message);
    }

    [Fact]
    public void SplitOpenedAgainstAGivenClassListKeepsItsIndices()
    {
        _tree.Image("val/c/1.jpg");
        _tree.Folder("val/a");
        var source = ClassFolderSource.Open(_tree.PathOf("val"), _decoder, ["a", "b", "c"]);
        Assert.Equal(["a", "b", "c"], source.ClassNames);
        Assert.Equal(1, source.Count);
        Assert.Equal(2, source.Label(0));
    }

    [Fact]
    public void ClassFoldersOutsideTheGivenListAreAllNamed()
    {
        _tree.Image("val/a/1.jpg");
        _tree.Image("val/x/1.jpg");
        _tree.Image("val/y/1.jpg");
        var error = Assert.Throws<AlexNetException>(() => ClassFolderSource.Open(_tree.PathOf("val"), _decoder, ["a", "b"]));
        Assert.Contains(_tree.PathOf("val/x"), error.Message);
        Assert.Contains(_tree.PathOf("val/y"), error.Message);
    }
}
