using System.Text.Json;
using AlexNet.Data.Sources;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Data.Sources;

/// <summary>
/// CIFAR-10 and CIFAR-100 in every form they are downloaded in (binary and python, folders and .tar.gz archives),
/// from the small sets tests/make_cifar_fixtures.py writes; expected labels, names and pixels come from that script.
/// </summary>
public sealed class CifarDownloadTests : IDisposable
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Cifar");
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "expected.json"))).RootElement;
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    public static TheoryData<string> Cifar10Forms => ["cifar-10-batches-bin", "cifar-10-batches-py", "cifar-10-binary.tar.gz", "cifar-10-python.tar.gz"];

    public static TheoryData<string> Cifar100Forms => ["cifar-100-binary", "cifar-100-python", "cifar-100-binary.tar.gz", "cifar-100-python.tar.gz"];

    [Theory]
    [MemberData(nameof(Cifar10Forms))]
    public void Cifar10ReadsInEveryForm(string form)
    {
        var path = Path.Combine(Root, form);
        Assert.Equal(DataSetLayout.Cifar10, DataSetDetector.Detect(path));
        var set = DataSetDetector.Open(path, new FakePnmDecoder());
        var expected = Expected.GetProperty("cifar10");
        Assert.Equal(DataSetLayout.Cifar10, set.Layout);
        Assert.Equal(Strings(expected, "classes"), set.ClassNames);
        CheckSplit(set.Train!, Ints(expected, "train_labels"), expected.GetProperty("train_head"));
        CheckSplit(set.Test!, Ints(expected, "test_labels"), expected.GetProperty("test_head"));
    }

    [Theory]
    [MemberData(nameof(Cifar100Forms))]
    public void Cifar100ReadsFineLabelsByDefaultAndCoarseOnRequest(string form)
    {
        var path = Path.Combine(Root, form);
        Assert.Equal(DataSetLayout.Cifar100, DataSetDetector.Detect(path));
        var expected = Expected.GetProperty("cifar100");
        var fine = DataSetDetector.Open(path, new FakePnmDecoder());
        Assert.Equal(DataSetLayout.Cifar100, fine.Layout);
        Assert.Equal(Strings(expected, "fine_classes"), fine.ClassNames);
        CheckSplit(fine.Train!, Ints(expected, "train_fine"), expected.GetProperty("train_head"));
        CheckSplit(fine.Test!, Ints(expected, "test_fine"), expected.GetProperty("test_head"));
        var coarse = DataSetDetector.Open(path, new FakePnmDecoder(), cifarLabels: CifarLabels.Coarse);
        Assert.Equal(Strings(expected, "coarse_classes"), coarse.ClassNames);
        CheckSplit(coarse.Train!, Ints(expected, "train_coarse"), expected.GetProperty("train_head"));
        CheckSplit(coarse.Test!, Ints(expected, "test_coarse"), expected.GetProperty("test_head"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void BatchesRepickledByPython3AtEveryProtocolRead(int protocol)
    {
        var path = Path.Combine(Root, "numpy_protocols", $"test_batch_protocol{protocol}");
        var problems = new List<string>();
        var batch = CifarPythonBatch.Read(File.ReadAllBytes(path), path, hundred: false, CifarLabels.Fine, problems);
        Assert.Empty(problems);
        var expected = Expected.GetProperty("cifar10");
        CheckSplit(new CifarSource([batch], CifarSource.StandardClassNames), Ints(expected, "test_labels"), expected.GetProperty("test_head"));
    }

    [Fact]
    public void AFolderHoldingTheUnpackedDistributionIsReadToo()
    {
        CopyFolder(Path.Combine(Root, "cifar-10-batches-py"), _tree.PathOf("downloads/cifar-10-batches-py"));
        Assert.Equal(DataSetLayout.Cifar10, DataSetDetector.Detect(_tree.PathOf("downloads")));
        Assert.Equal(5, DataSetDetector.Open(_tree.PathOf("downloads"), new FakePnmDecoder()).Train!.Count);
    }

    [Fact]
    public void CoarseLabelsOfCifar10AreRefused()
    {
        var error = Assert.Throws<AlexNetException>(() =>
            DataSetDetector.Open(Path.Combine(Root, "cifar-10-python.tar.gz"), new FakePnmDecoder(), cifarLabels: CifarLabels.Coarse));
        Assert.Contains("CIFAR-100", error.Message);
        Assert.Contains("cifar-10-python.tar.gz", error.Message);
    }

    [Fact]
    public void APickleThatNamesAnotherGlobalIsRefusedByName()
    {
        CopyFolder(Path.Combine(Root, "cifar-10-batches-py"), _tree.PathOf("c"));
        // Python 2's cPickle spelling of os.system("true") as the dict itself: GLOBAL, the argument, REDUCE.
        _tree.Write("c/data_batch_3", [0x80, 0x02, .. "cos\nsystem\n"u8, 0x55, 4, .. "true"u8, 0x85, 0x52, 0x2e]);
        var error = Assert.Throws<AlexNetException>(() => CifarData.Open(_tree.PathOf("c")));
        Assert.Contains("os.system", error.Message);
        Assert.Contains("data_batch_3", error.Message);
    }

    [Fact]
    public void ADamagedArchiveNamesTheArchive()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Root, "cifar-100-python.tar.gz"));
        var path = _tree.Write("cifar-100-python.tar.gz", bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<AlexNetException>(() => CifarData.Open(path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void CliSamplesReadCoarseLabelsStraightFromTheArchive()
    {
        var (code, output, error) = CliRun.Run("samples", "--data", Path.Combine(Root, "cifar-100-python.tar.gz"), "--labels", "coarse",
            "--split", "test", "--count", "2", "--out", _tree.PathOf("out"));
        Assert.True(code == 0, error);
        Assert.Contains("Wrote 2 images", output);
        var names = Strings(Expected.GetProperty("cifar100"), "coarse_classes");
        var labels = Ints(Expected.GetProperty("cifar100"), "test_coarse");
        // The samples command writes '-' for characters other than letters, digits, '-' and '.'.
        string File(int i) => $"0000{i}_{names[labels[i]].Replace('_', '-')}.png";
        Assert.Equal([File(0), File(1)],
            Directory.GetFiles(_tree.PathOf("out")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    private static void CheckSplit(ISampleSource source, int[] labels, JsonElement heads)
    {
        Assert.Equal(labels, Enumerable.Range(0, source.Count).Select(source.Label));
        var i = 0;
        foreach (var head in heads.EnumerateArray())
        {
            var image = source.Load(i++, 3);
            Assert.Equal(head.EnumerateArray().Select(v => (byte)v.GetInt32()), image.Pixels[..12]);
        }
    }

    private static string[] Strings(JsonElement element, string key) => element.GetProperty(key).EnumerateArray().Select(v => v.GetString()!).ToArray();

    private static int[] Ints(JsonElement element, string key) => element.GetProperty(key).EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
