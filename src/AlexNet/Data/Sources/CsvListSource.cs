using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// The images of a <see cref="CsvListFile"/>, all of them or one split's, in file order. Class names are the
/// whole file's, so every split of one list shares them. Files are not checked when opening; a missing or bad
/// file fails in <see cref="ImageFileSource.Load"/> and is reported by <see cref="ImageScan"/>.
/// </summary>
public sealed class CsvListSource : ImageFileSource
{
    private CsvListSource(string[] paths, int[] labels, IReadOnlyList<string> classNames, IImageDecoder decoder)
        : base(paths, labels, classNames, decoder) { }

    /// <summary>Every row of the list, whatever its split column says.</summary>
    public static CsvListSource Open(string csvPath, IImageDecoder decoder) => Open(CsvListFile.Read(csvPath), null, decoder);

    /// <summary>The rows of <paramref name="split"/> (every row when null); null when the list has none of that split.</summary>
    public static CsvListSource? OpenSplit(CsvListFile list, DataSplit split, IImageDecoder decoder) =>
        list.Rows.Any(row => row.Split == split) ? Open(list, split, decoder) : null;

    private static CsvListSource Open(CsvListFile list, DataSplit? split, IImageDecoder decoder)
    {
        var index = list.ClassNames.Select((name, i) => (name, i)).ToDictionary(pair => pair.name, pair => pair.i, StringComparer.Ordinal);
        var rows = list.Rows.Where(row => split is null || row.Split == split).ToArray();
        return new CsvListSource(rows.Select(row => row.Path).ToArray(), rows.Select(row => index[row.Label]).ToArray(), list.ClassNames, decoder);
    }
}
