using AlexNet.Data;
using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

public sealed class DataSetDetectorTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly FakePnmDecoder _decoder = new();

    public void Dispose() => _tree.Dispose();

    private DataSet Open(string relative, DataSetLayout? force = null, string? labels = null, string? index = null) =>
        DataSetDetector.Open(_tree.PathOf(relative), _decoder, force, labels, index);

    [Fact]
    public void ClassFoldersWithSplitsShareTheTrainingClasses()
    {
        _tree.Image("d/train/cat/1.jpg");
        _tree.Image("d/train/dog/1.jpg");
        _tree.Image("d/train/emu/1.jpg");
        _tree.Image("d/val/dog/2.jpg");
        _tree.Image("d/test/emu/3.png");
        var set = Open("d");
        Assert.Equal(DataSetLayout.ClassFolders, set.Layout);
        Assert.Equal(["cat", "dog", "emu"], set.ClassNames);
        Assert.Equal(3, set.Train!.Count);
        Assert.Equal(["cat", "dog", "emu"], set.Validation!.ClassNames);
        Assert.Equal(1, set.Validation.Label(0));
        Assert.Equal(2, set.Test!.Label(0));
    }

    [Fact]
    public void ValidationFolderMayBeCalledValidation()
    {
        _tree.Image("d/train/cat/1.jpg");
        _tree.Image("d/validation/cat/2.jpg");
        var set = Open("d");
        Assert.Equal(1, set.Validation!.Count);
        Assert.Null(set.Test);
    }

    [Fact]
    public void ClassFoldersMissingFromTrainAreAllNamed()
    {
        _tree.Image("d/train/cat/1.jpg");
        _tree.Image("d/val/cat/1.jpg");
        _tree.Image("d/val/cow/1.jpg");
        _tree.Image("d/test/yak/1.jpg");
        var error = Assert.Throws<AlexNetException>(() => Open("d"));
        Assert.Contains(_tree.PathOf("d/val/cow"), error.Message);
        Assert.Contains(_tree.PathOf("d/test/yak"), error.Message);
        Assert.Contains(_tree.PathOf("d/train"), error.Message);
    }

    [Fact]
    public void ClassFoldersWithoutSplitsAreOneTrainSplit()
    {
        _tree.Image("d/b/1.jpg");
        _tree.Image("d/a/1.jpg");
        var set = Open("d");
        Assert.Equal(DataSetLayout.ClassFolders, set.Layout);
        Assert.Equal(["a", "b"], set.ClassNames);
        Assert.Equal(2, set.Train!.Count);
        Assert.Null(set.Validation);
        Assert.Null(set.Test);
    }

    [Fact]
    public void SeedJsonIsDetectedFromFlatSplitsAndTwoMaps()
    {
        _tree.Image("d/train/a.jpg");
        _tree.Image("d/train/b.jpg");
        _tree.Image("d/val/c.jpg");
        _tree.Text("d/labels.json", """{"a": "ant", "b": "bee", "c": "bee"}""");
        _tree.Text("d/classes.json", """{"bee": 0, "ant": 1}""");
        _tree.Text("d/other.json", """[1, 2]""");
        var set = Open("d");
        Assert.Equal(DataSetLayout.SeedJson, set.Layout);
        Assert.Equal(["bee", "ant"], set.ClassNames);
        Assert.Equal([1, 0], Enumerable.Range(0, 2).Select(set.Train!.Label));
        Assert.Equal(0, set.Validation!.Label(0));
        Assert.Null(set.Test);
    }

    [Fact]
    public void SeedJsonMapsCanBeGivenExplicitly()
    {
        _tree.Image("d/train/a.jpg");
        var labels = _tree.Text("maps/l.json", """{"a": "ant"}""");
        var index = _tree.Text("maps/i.json", """{"ant": 0}""");
        var set = Open("d", labels: labels, index: index);
        Assert.Equal(DataSetLayout.SeedJson, set.Layout);
        Assert.Equal(["ant"], set.ClassNames);
    }

    [Fact]
    public void FlatSplitWithoutMapsSaysWhatItFound()
    {
        _tree.Image("d/train/a.jpg");
        _tree.Text("d/labels.json", """{"a": "ant"}""");
        var error = Assert.Throws<AlexNetException>(() => Open("d"));
        Assert.Contains(_tree.PathOf("d/train"), error.Message);
        Assert.Contains("'labels.json' (strings → strings)", error.Message);
    }

    [Fact]
    public void CsvFileIsDetectedWithItsSplits()
    {
        _tree.Image("d/a.jpg");
        _tree.Text("d/list.CSV", "a.jpg,x,train\na.jpg,y,test\n");
        var set = Open("d/list.CSV");
        Assert.Equal(DataSetLayout.CsvList, set.Layout);
        Assert.Equal(["x", "y"], set.ClassNames);
        Assert.Equal(1, set.Train!.Count);
        Assert.Null(set.Validation);
        Assert.Equal(1, set.Test!.Label(0));
    }

    [Fact]
    public void CsvWithoutSplitColumnIsOneTrainSplit()
    {
        _tree.Text("l.csv", "a.jpg,x\nb.jpg,y\n");
        var set = Open("l.csv");
        Assert.Equal(2, set.Train!.Count);
        Assert.Null(set.Test);
    }

    [Fact]
    public void Cifar10IsDetected()
    {
        CifarBinaryTests.WriteCifar(_tree, "c");
        var set = Open("c");
        Assert.Equal(DataSetLayout.Cifar10, set.Layout);
        Assert.Equal(10, set.Train!.Count);
        Assert.Equal(1, set.Test!.Count);
        Assert.Equal("truck", set.ClassNames[9]);
    }

    [Fact]
    public void IdxIsDetectedWithFashionNamesFromTheFolderName()
    {
        IdxSourceTests.WriteIdx(_tree, "fashion-mnist", "train", 1, 2);
        IdxSourceTests.WriteIdx(_tree, "fashion-mnist", "t10k", 9);
        var set = Open("fashion-mnist");
        Assert.Equal(DataSetLayout.Idx, set.Layout);
        Assert.Equal(FashionMnist.ClassNames, set.ClassNames);
        Assert.Equal(2, set.Train!.Count);
        Assert.Equal(9, set.Test!.Label(0));
        IdxSourceTests.WriteIdx(_tree, "digits", "train", 1);
        Assert.Equal("0", Open("digits").ClassNames[0]);
    }

    [Fact]
    public void IdxImagesWithoutLabelsNameTheExpectedFile()
    {
        IdxSourceTests.WriteIdx(_tree, "m", "train", 1);
        File.Delete(_tree.PathOf("m/train-labels-idx1-ubyte"));
        var error = Assert.Throws<AlexNetException>(() => Open("m"));
        Assert.Contains("train-labels-idx1-ubyte", error.Message);
    }

    [Fact]
    public void UnknownLayoutSaysWhatWasLookedFor()
    {
        _tree.Text("d/readme.txt", "hello");
        _tree.Folder("d/empty");
        var error = Assert.Throws<AlexNetException>(() => Open("d"));
        Assert.Contains(_tree.PathOf("d"), error.Message);
        Assert.Contains("data_batch_1.bin", error.Message);
        Assert.Contains("idx3-ubyte", error.Message);
        Assert.Contains(".csv", error.Message);
        Assert.Contains("SeedJson", error.Message);
        Assert.Contains("ClassFolders", error.Message);
    }

    [Fact]
    public void MissingPathAndNonCsvFileAreNamed()
    {
        Assert.Contains(_tree.PathOf("nowhere"), Assert.Throws<AlexNetException>(() => Open("nowhere")).Message);
        _tree.Text("x.txt", "a.jpg,b");
        Assert.Contains(_tree.PathOf("x.txt"), Assert.Throws<AlexNetException>(() => Open("x.txt")).Message);
    }

    [Fact]
    public void ForcedLayoutSkipsDetection()
    {
        _tree.Image("d/train/a.jpg");
        _tree.Image("d/train/cat/1.jpg");
        _tree.Text("d/labels.json", """{"a": "ant"}""");
        _tree.Text("d/index.json", """{"ant": 0}""");
        Assert.Equal(DataSetLayout.SeedJson, Open("d").Layout);
        var forced = Open("d", DataSetLayout.ClassFolders);
        Assert.Equal(DataSetLayout.ClassFolders, forced.Layout);
        Assert.Equal(["cat"], forced.ClassNames);
        var error = Assert.Throws<AlexNetException>(() => Open("d", DataSetLayout.Cifar10));
        Assert.Contains("data_batch_1.bin", error.Message);
    }

    [Fact]
    public void OnlyOneJsonMapIsAnError()
    {
        _tree.Image("d/train/a.jpg");
        var labels = _tree.Text("l.json", """{"a": "ant"}""");
        var error = Assert.Throws<AlexNetException>(() => Open("d", labels: labels));
        Assert.Contains("l.json", error.Message);
    }
}
