using AlexNet.Data;
using AlexNet.Data.Sources;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

/// <summary>CSV lists as the Paddle project and pandas write them: named columns in any order, an index column, WordNet ids.</summary>
public sealed class CsvHeaderTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void PandasIndexColumnIsIgnoredAndColumnsAreFoundByName()
    {
        // Exactly what pandas 1.5's DataFrame.to_csv() writes for columns filename, label, split (index included).
        var csv = _tree.Text("l.csv", ",filename,label,split\n0,n02091244_1234.JPEG,3,train\n1,\"b, c.jpg\",1,val\n");
        var list = CsvListFile.Read(csv);
        Assert.True(list.HasSplitColumn);
        Assert.Equal(["1", "3"], list.ClassNames);
        Assert.Equal([_tree.PathOf("n02091244_1234.JPEG"), _tree.PathOf("b, c.jpg")], list.Rows.Select(row => row.Path));
        Assert.Equal([DataSplit.Train, DataSplit.Validation], list.Rows.Select(row => row.Split));
        // Read back with read_csv and written again, pandas adds an "Unnamed: 0" column in front of its new index.
        var twice = _tree.Text("twice.csv", ",Unnamed: 0,filename,label,split\n0,0,a.jpg,3,train\n1,1,b.jpg,1,val\n");
        Assert.Equal(["a.jpg", "b.jpg"], CsvListFile.Read(twice).Rows.Select(row => Path.GetFileName(row.Path)));
    }

    [Theory]
    [InlineData("Class,Image\ncat,a.jpg\ndog,b.jpg\n")]
    [InlineData("split,label,file,notes\ntrain,cat,a.jpg,blurry\ntrain,dog,b.jpg,\n")]
    [InlineData("LABEL,PATH\ncat,a.jpg\ndog,b.jpg\n")]
    [InlineData("label,filename\r\ncat,a.jpg\r\ndog,b.jpg\r\n")]
    public void HeaderColumnsMayComeInAnyOrderAndSpelling(string text)
    {
        var list = CsvListFile.Read(_tree.Text("l.csv", text));
        Assert.Equal(["cat", "dog"], list.ClassNames);
        Assert.Equal(["a.jpg", "b.jpg"], list.Rows.Select(row => Path.GetFileName(row.Path)));
        Assert.Equal(["cat", "dog"], list.Rows.Select(row => row.Label));
    }

    [Fact]
    public void WithoutALabelColumnTheWordNetIdOfTheFileNameIsTheLabel()
    {
        var csv = _tree.Text("l.csv", "filename\ntrain/n02091244_1234.JPEG\nn01440764_10026.JPEG\ntrain/n02091244_99.JPEG\n");
        var list = CsvListFile.Read(csv);
        Assert.Equal(["n01440764", "n02091244"], list.ClassNames);
        Assert.Equal(["n02091244", "n01440764", "n02091244"], list.Rows.Select(row => row.Label));
    }

    [Fact]
    public void FilesWithoutAWordNetIdAreListedInOneError()
    {
        var csv = _tree.Text("l.csv", "image,split\nn02091244_1.JPEG,train\ncat.jpg,train\nn0209124_2.JPEG,val\nn020912444_3.JPEG,val\n");
        var error = Assert.Throws<AlexNetException>(() => CsvListFile.Read(csv));
        Assert.Contains(csv, error.Message);
        Assert.Contains("3 file name(s)", error.Message);
        Assert.Contains("line 3: 'cat.jpg'", error.Message);
        Assert.Contains("line 4: 'n0209124_2.JPEG'", error.Message);
        Assert.Contains("line 5: 'n020912444_3.JPEG'", error.Message);
        Assert.DoesNotContain("line 2", error.Message);
    }

    [Fact]
    public void HeaderWithoutAnImageColumnOrWithTwoIsAnError()
    {
        var none = _tree.Text("none.csv", "label,width\ncat,3\n");
        var error = Assert.Throws<AlexNetException>(() => CsvListFile.Read(none));
        Assert.Contains("none.csv", error.Message);
        Assert.Contains("names no image column", error.Message);
        var two = _tree.Text("two.csv", "file,path,label\na.jpg,b.jpg,cat\n");
        error = Assert.Throws<AlexNetException>(() => CsvListFile.Read(two));
        Assert.Contains("two.csv", error.Message);
        Assert.Contains("'file', 'path'", error.Message);
    }

    [Fact]
    public void SynsetWordsGiveReadableNamesAndListWhatTheyLack()
    {
        var words = _tree.Text("synset_words.txt", "n01440764 tench, Tinca tinca\n\nn02091244 Ibizan hound, Ibizan Podenco\n");
        var names = SynsetWords.Read(words);
        Assert.Equal(["Ibizan hound, Ibizan Podenco", "tench, Tinca tinca"], names.Readable(["n02091244", "n01440764"]));
        var error = Assert.Throws<AlexNetException>(() => names.Readable(["n01440764", "n09999999", "cat"]));
        Assert.Contains("synset_words.txt", error.Message);
        Assert.Contains("2 of the 3 classes: 'n09999999', 'cat'", error.Message);
        var bad = _tree.Text("bad.txt", "n01440764 tench\nn01443537\nn01440764 again\n");
        error = Assert.Throws<AlexNetException>(() => SynsetWords.Read(bad));
        Assert.Contains("line 2: 'n01443537' has an identifier but no words", error.Message);
        Assert.Contains("line 3: 'n01440764' appears again", error.Message);
    }
}
