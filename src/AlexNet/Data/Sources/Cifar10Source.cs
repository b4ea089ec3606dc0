using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// CIFAR-10's binary version (Krizhevsky 2009): <c>data_batch_1.bin</c> … <c>data_batch_5.bin</c> (train) and
/// <c>test_batch.bin</c> (test), each a run of 3,073-byte records: one label byte, then the 32×32 red, green and
/// blue planes row by row. Class names come from <c>batches.meta.txt</c> (one per line), else the standard ten.
/// <para>
/// The batch files are read into memory when the source is opened (50,000 training records ≈ 154 MB), which
/// checks their lengths and labels up front and makes <see cref="Load"/> a copy with no I/O.
/// </para>
/// </summary>
public sealed class Cifar10Source : ISampleSource
{
    public const int Side = 32;
    public const int RecordLength = 1 + 3 * Side * Side;
    public const string MetaFileName = "batches.meta.txt";
    public const string TestFileName = "test_batch.bin";

    private readonly string[] _files;
    private readonly byte[][] _data;
    private readonly int[] _starts; // first sample index of each file, then Count

    private Cifar10Source(string[] files, byte[][] data, IReadOnlyList<string> classNames)
    {
        (_files, _data, ClassNames) = (files, data, classNames);
        _starts = new int[files.Length + 1];
        for (var f = 0; f < files.Length; f++) _starts[f + 1] = _starts[f] + data[f].Length / RecordLength;
    }

    /// <summary>The class names of the CIFAR-10 distribution's batches.meta.txt.</summary>
    public static IReadOnlyList<string> StandardClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    public static IReadOnlyList<string> TrainFileNames { get; } = Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray();

    public IReadOnlyList<string> ClassNames { get; }

    public int Count => _starts[^1];

    /// <summary>The five training batches; all must be present.</summary>
    public static Cifar10Source OpenTrain(string folder)
    {
        var missing = TrainFileNames.Where(name => !File.Exists(Path.Combine(folder, name))).ToList();
        if (missing.Count > 0)
        {
            throw new AlexNetException($"CIFAR-10 folder '{folder}' lacks training batch(es) {Listing.Inline(missing)}.");
        }
        return Open(TrainFileNames.Select(name => Path.Combine(folder, name)).ToArray(), ReadClassNames(folder));
    }

    /// <summary>The test batch, or null when the folder has none.</summary>
    public static Cifar10Source? OpenTest(string folder)
    {
        var path = Path.Combine(folder, TestFileName);
        return File.Exists(path) ? Open([path], ReadClassNames(folder)) : null;
    }

    /// <summary>Opens the given batch files in order; lengths and labels are checked for every file at once.</summary>
    public static Cifar10Source Open(string[] files, IReadOnlyList<string> classNames)
    {
        var data = new byte[files.Length][];
        var problems = new List<string>();
        for (var f = 0; f < files.Length; f++)
        {
            try
            {
                data[f] = File.ReadAllBytes(files[f]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AlexNetException($"Cannot read CIFAR-10 batch '{files[f]}': {e.Message}", e);
            }
            if (data[f].Length == 0 || data[f].Length % RecordLength != 0)
            {
                problems.Add($"'{files[f]}' is {data[f].Length} bytes, not a positive multiple of the {RecordLength}-byte record");
                continue;
            }
            var badRecords = Enumerable.Range(0, data[f].Length / RecordLength).Where(r => data[f][r * RecordLength] >= classNames.Count).ToList();
            if (badRecords.Count > 0)
            {
                problems.Add($"'{files[f]}' has labels outside the {classNames.Count} classes in record(s) " +
                    $"{string.Join(", ", badRecords.Take(Listing.Cap))}{(badRecords.Count > Listing.Cap ? $" … and {badRecords.Count - Listing.Cap} more" : "")}");
            }
        }
        if (problems.Count > 0) throw new AlexNetException($"Bad CIFAR-10 batch file(s):{Listing.Lines(problems)}");
        return new Cifar10Source(files, data, classNames);
    }

    /// <summary>Names from <c>batches.meta.txt</c> (blank lines skipped), or <see cref="StandardClassNames"/> without it.</summary>
    public static IReadOnlyList<string> ReadClassNames(string folder)
    {
        var path = Path.Combine(folder, MetaFileName);
        if (!File.Exists(path)) return StandardClassNames;
        try
        {
            var names = File.ReadAllLines(path).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
            if (names.Length == 0) throw new AlexNetException($"CIFAR-10 class name file '{path}' holds no names.");
            var repeated = names.GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
            if (repeated.Count > 0) throw new AlexNetException($"CIFAR-10 class name file '{path}' repeats {Listing.Inline(repeated)}.");
            return names;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AlexNetException($"Cannot read CIFAR-10 class name file '{path}': {e.Message}", e);
        }
    }

    public int Label(int index)
    {
        var (file, record) = Locate(index);
        return _data[file][record * RecordLength];
    }

    public string Describe(int index)
    {
        var (file, record) = Locate(index);
        return $"{_files[file]} record {record}";
    }

    /// <summary>
    /// The 32×32 image in HWC order. One channel is ITU-R 601-2 luma as PIL's <c>convert("L")</c> computes it:
    /// L = R·299/1000 + G·587/1000 + B·114/1000, in PIL's 16-bit fixed point with rounding
    /// (<c>(R·19595 + G·38470 + B·7471 + 0x8000) &gt;&gt; 16</c>), so the result matches PIL exactly.
    /// </summary>
    public Image Load(int index, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        var (file, record) = Locate(index);
        const int plane = Side * Side;
        var source = _data[file].AsSpan(record * RecordLength + 1, 3 * plane);
        var pixels = new byte[plane * channels];
        for (var p = 0; p < plane; p++)
        {
            int r = source[p], g = source[plane + p], b = source[2 * plane + p];
            if (channels == 3)
            {
                pixels[3 * p] = (byte)r;
                pixels[3 * p + 1] = (byte)g;
                pixels[3 * p + 2] = (byte)b;
            }
            else
            {
                pixels[p] = (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
        }
        return new Image(Side, Side, channels, pixels);
    }

    private (int File, int Record) Locate(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {Count} samples.");
        var file = Array.BinarySearch(_starts, index);
        file = file >= 0 ? file : ~file - 1;
        // Starts are strictly increasing: every file holds at least one record.
        return (file, index - _starts[file]);
    }
}
