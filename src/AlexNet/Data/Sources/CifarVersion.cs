namespace AlexNet.Data.Sources;

/// <summary>
/// The four ways the CIFAR data sets are distributed, told apart by their file names:
/// <list type="bullet">
/// <item>CIFAR-10 binary (<c>cifar-10-batches-bin</c>): <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>, <c>test_batch.bin</c>,
/// class names in <c>batches.meta.txt</c>; records of 1 label byte + 3,072 pixel bytes;</item>
/// <item>CIFAR-10 python (<c>cifar-10-batches-py</c>): <c>data_batch_1</c> … <c>data_batch_5</c>, <c>test_batch</c>, <c>batches.meta</c>,
/// each a pickled dict (<c>data</c>, <c>labels</c>; <c>label_names</c>);</item>
/// <item>CIFAR-100 binary (<c>cifar-100-binary</c>): <c>train.bin</c>, <c>test.bin</c>, <c>fine_label_names.txt</c>,
/// <c>coarse_label_names.txt</c>; records of a coarse and a fine label byte + 3,072 pixel bytes;</item>
/// <item>CIFAR-100 python (<c>cifar-100-python</c>): <c>train</c>, <c>test</c>, <c>meta</c>, pickled dicts (<c>data</c>,
/// <c>fine_labels</c>, <c>coarse_labels</c>; <c>fine_label_names</c>, <c>coarse_label_names</c>).</item>
/// </list>
/// </summary>
internal sealed record CifarVersion(DataSetLayout Layout, bool Python, string FolderName, string[] TrainNames, string TestName)
{
    public static readonly CifarVersion Cifar10Binary = new(DataSetLayout.Cifar10, false, "cifar-10-batches-bin",
        Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray(), "test_batch.bin");

    public static readonly CifarVersion Cifar10Python = new(DataSetLayout.Cifar10, true, "cifar-10-batches-py",
        Enumerable.Range(1, 5).Select(i => $"data_batch_{i}").ToArray(), "test_batch");

    public static readonly CifarVersion Cifar100Binary = new(DataSetLayout.Cifar100, false, "cifar-100-binary", ["train.bin"], "test.bin");

    public static readonly CifarVersion Cifar100Python = new(DataSetLayout.Cifar100, true, "cifar-100-python", ["train"], "test");

    public static IReadOnlyList<CifarVersion> All { get; } = [Cifar10Binary, Cifar10Python, Cifar100Binary, Cifar100Python];

    public bool Hundred => Layout == DataSetLayout.Cifar100;

    public string Name => $"{(Hundred ? "CIFAR-100" : "CIFAR-10")} {(Python ? "python" : "binary")}";

    /// <summary>Files holding class names: one name per line for the binary versions, a pickled dict for the python ones.</summary>
    public string[] MetaNames => (Hundred, Python) switch
    {
        (false, false) => ["batches.meta.txt"],
        (false, true) => ["batches.meta"],
        (true, false) => ["fine_label_names.txt", "coarse_label_names.txt"],
        _ => ["meta"],
    };

    /// <summary>Every file name a version reads.</summary>
    public IEnumerable<string> FileNames => TrainNames.Append(TestName).Concat(MetaNames);

    /// <summary>The version whose first training batch is present (CIFAR-100 python also needs its <c>meta</c>), or null.</summary>
    public static CifarVersion? Detect(Func<string, bool> has) =>
        All.FirstOrDefault(version => has(version.TrainNames[0]) && (version != Cifar100Python || has("meta")));
}
