using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

public sealed class SeedJsonSourceTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly FakePnmDecoder _decoder = new();

    public void Dispose() => _tree.Dispose();

    private SeedJsonMaps Maps(string imageLabels, string labelIndex) =>
        SeedJsonMaps.Read(_tree.Text("image_labels.json", imageLabels), _tree.Text("label_index.json", labelIndex));

    [Fact]
    public void LabelsComeFromTheMapsAndClassesAreOrderedByIndex()
    {
        _tree.Image("train/b.jpg", 2);
        _tree.Image("train/a.png", 1);
        _tree.Image("train/c.JPEG", 3);
        var maps = Maps("""{"a": "zebra", "b": "ant", "c": "zebra", "unused": "ant"}""", """{"zebra": 0, "ant": 1}""");
        var source = SeedJsonSource.Open(_tree.PathOf("train"), maps, _decoder);

        Assert.Equal(["zebra", "ant"], source.ClassNames);
        Assert.Equal(["a.png", "b.jpg", "c.JPEG"], source.Paths.Select(Path.GetFileName));
        Assert.Equal([0, 1, 0], Enumerable.Range(0, 3).Select(source.Label));
        Assert.All(source.Load(1, 3).Pixels, p => Assert.Equal(2, p));
    }

    [Fact]
    public void UnlabelledAndDuplicateIdsAreAllNamed()
    {
        _tree.Image("train/a.jpg");
        _tree.Image("train/a.png");
        _tree.Image("train/b.jpg");
        _tree.Image("train/b.jpeg");
        _tree.Image("train/lost1.jpg");
        _tree.Image("train/lost2.jpg");
        var maps = Maps("""{"a": "x", "b": "x"}""", """{"x": 0}""");
        var error = Assert.Throws<AlexNetException>(() => SeedJsonSource.Open(_tree.PathOf("train"), maps, _decoder));
        foreach (var culprit in new[] { "a.jpg", "a.png", "b.jpg", "b.jpeg", "lost1.jpg", "lost2.jpg", _tree.PathOf("train") })
        {
            Assert.Contains(culprit, error.Message);
        }
    }

    [Fact]
    public void ManyUnlabelledImagesAreCappedWithACount()
    {
        for (var i = 0; i < 60; i++) _tree.Image($"train/img{i:D2}.jpg");
        var maps = Maps("""{"other": "x"}""", """{"x": 0}""");
        var error = Assert.Throws<AlexNetException>(() => SeedJsonSource.Open(_tree.PathOf("train"), maps, _decoder));
        Assert.Contains("60 image(s) have no label", error.Message);
        Assert.Contains("img49.jpg", error.Message);
        Assert.DoesNotContain("img50.jpg", error.Message);
        Assert.Contains("and 10 more", error.Message);
    }

    [Fact]
    public void LabelsMissingFromTheIndexMapAreAllNamed()
    {
        var error = Assert.Throws<AlexNetException>(() =>
            Maps("""{"a": "cat", "b": "dog", "c": "emu", "d": "emu"}""", """{"cat": 0}"""));
        Assert.Contains("'dog'", error.Message);
        Assert.Contains("'emu' (used by 2 image(s)", error.Message);
        Assert.Contains("label_index.json", error.Message);
    }

    [Fact]
    public void IndicesWithGapsDuplicatesOrOutOfRangeAreAllNamed()
    {
        var error = Assert.Throws<AlexNetException>(() =>
            Maps("""{"a": "cat"}""", """{"cat": 0, "dog": 0, "emu": 7, "fox": -1, "gnu": 1}"""));
        Assert.Contains("label_index.json", error.Message);
        Assert.Contains("'emu' → 7", error.Message);
        Assert.Contains("'fox' → -1", error.Message);
        Assert.Contains("index 0 is used by 'cat', 'dog'", error.Message);
        Assert.Contains("no label has index 2, 3, 4", error.Message);
    }

    [Fact]
    public void NonStringLabelsAndNonIntegerIndicesAreNamed()
    {
        var labels = Assert.Throws<AlexNetException>(() => Maps("""{"a": 3, "b": "x", "c": null}""", """{"x": 0}"""));
        Assert.Contains("'a'", labels.Message);
        Assert.Contains("'c'", labels.Message);
        Assert.Contains("image_labels.json", labels.Message);
        var indices = Assert.Throws<AlexNetException>(() => Maps("""{"a": "x"}""", """{"x": 0.5, "y": "1"}"""));
        Assert.Contains("'x'", indices.Message);
        Assert.Contains("'y'", indices.Message);
    }

    [Fact]
    public void DuplicateJsonKeysAndInvalidJsonAreNamed()
    {
        var duplicate = Assert.Throws<AlexNetException>(() => Maps("""{"a": "x", "a": "x"}""", """{"x": 0}"""));
        Assert.Contains("'a': appears more than once", duplicate.Message);
        var invalid = Assert.Throws<AlexNetException>(() => Maps("""{"a": """, """{"x": 0}"""));
        Assert.Contains("image_labels.json", invalid.Message);
        Assert.Contains("not valid JSON", invalid.Message);
    }
}
