using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

public sealed class CsvListSourceTests : IDisposable
{
    private readonly TempTree _tree = new();
    private readonly FakePnmDecoder _decoder = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void HeaderRelativeAbsoluteAndQuotedPathsWork()
    {
        _tree.Image("lists/images/a.jpg", 1);
        var absolute = _tree.Image("elsewhere/b.png", 2);
        _tree.Image("lists/images/c, d.jpg", 3);
        var csv = _tree.Text("lists/all.csv", $"Path,Label\nimages/a.jpg,dog\n\n{absolute} , cat\n\"images/c, d.jpg\",\"dog\"\n");
        var source = CsvListSource.Open(csv, _decoder);

        Assert.Equal(["cat", "dog"], source.ClassNames);
        Assert.Equal([_tree.PathOf("lists/images/a.jpg"), absolute, _tree.PathOf("lists/images/c, d.jpg")], source.Paths);
        Assert.Equal([1, 0, 1], Enumerable.Range(0, 3).Select(source.Label));
        Assert.All(source.Load(2, 1).Pixels, p => Assert.Equal(3, p));
    }

    [Fact]
    public void IntegerLabelsAreNamesSortedByValue()
    {
        var csv = _tree.Text("l.csv", "a.jpg,10\nb.jpg,2\nc.jpg,0\nd.jpg,1\n");
        Assert.Equal(["0", "1", "2", "10"], CsvListFile.Read(csv).ClassNames);
        var mixed = _tree.Text("m.csv", "a.jpg,10\nb.jpg,2\nc.jpg,02\n");
        Assert.Equal(["02", "10", "2"], CsvListFile.Read(mixed).ClassNames);
    }

    [Fact]
    public void SplitColumnSelectsRowsAndClassesComeFromEveryRow()
    {
        var csv = _tree.Text("l.csv", "path,label,split\na.jpg,x,train\nb.jpg,y,VAL\nc.jpg,z,validation\nd.jpg,x,train\n");
        var list = CsvListFile.Read(csv);
        Assert.True(list.HasSplitColumn);
        var train = CsvListSource.OpenSplit(list, DataSplit.Train, _decoder)!;
        var val = CsvListSource.OpenSplit(list, DataSplit.Validation, _decoder)!;
        Assert.Null(CsvListSource.OpenSplit(list, DataSplit.Test, _decoder));
        Assert.Equal(["x", "y", "z"], train.ClassNames);
        Assert.Equal(["x", "y", "z"], val.ClassNames);
        Assert.Equal(["a.jpg", "d.jpg"], train.Paths.Select(Path.GetFileName));
        Assert.Equal([1, 2], Enumerable.Range(0, val.Count).Select(val.Label));
    }

    [Fact]
    public void EveryMalformedLineIsReportedWithItsNumber()
    {
        var csv = _tree.Text("bad.csv",
            "path,label,split\na.jpg,x,train\nb.jpg,x\n,x,train\nc.jpg,,test\nd.jpg,x,holdout\n\"e.jpg,x,train\ne.jpg,x,train,extra\n\"f\"g.jpg,x,train\n");
        var error = Assert.Throws<AlexNetException>(() => CsvListFile.Read(csv));
        Assert.Contains("bad.csv", error.Message);
        Assert.Contains("7 malformed line(s)", error.Message);
        Assert.Contains("line 3: expected 3 fields", error.Message);
        Assert.Contains("line 4: empty path", error.Message);
        Assert.Contains("line 5: empty label", error.Message);
        Assert.Contains("line 6: split 'holdout'", error.Message);
        Assert.Contains("line 7: unterminated quoted field", error.Message);
        Assert.Contains("line 8: expected 3 fields", error.Message);
        Assert.Contains("line 9: text after a closing quote", error.Message);
        Assert.DoesNotContain("line 2", error.Message);
    }

    [Fact]
    public void SemicolonSeparatedFileGetsAHint()
    {
        var csv = _tree.Text("semi.csv", "a.jpg;x\n");
        var error = Assert.Throws<AlexNetException>(() => CsvListFile.Read(csv));
        Assert.Contains("semi.csv", error.Message);
        Assert.Contains("only commas", error.Message);
    }

    [Fact]
    public void MissingListedFileFailsOnLoadNamingIt()
    {
        var csv = _tree.Text("l.csv", "gone.jpg,x\n");
        var source = CsvListSource.Open(csv, _decoder);
        var error = Assert.Throws<AlexNetException>(() => source.Load(0, 3));
        Assert.Contains(_tree.PathOf("gone.jpg"), error.Message);
    }
}
