using System.Globalization;
using System.Text.RegularExpressions;

namespace AlexNet.Data.Sources;

/// <summary>
/// A CSV list of images (fields as <see cref="CsvFields"/> splits them, blank lines skipped). A header names the
/// columns in any order (<see cref="CsvColumns"/>): the Paddle-style <c>filename,label</c>, pandas' files with their
/// unnamed index column, a <c>split</c> column anywhere. Without a header the first line fixes the columns as
/// <c>path,label[,split]</c>. Paths are relative to the CSV file's folder unless absolute. Split values are
/// <c>train</c>, <c>val</c>/<c>validation</c>, <c>test</c> (any case).
/// <para>
/// Without a label column each image's label is the ImageNet WordNet id that starts its file name
/// (<c>n02091244_1234.JPEG</c> → <c>n02091244</c>), as in ImageNet's own training files; every file without one is
/// listed in one error.
/// </para>
/// <para>
/// Labels are class names. Classes are all distinct labels of the file (every split), sorted ordinally (WordNet
/// ids then come in ImageNet's class order), except when every label is a non-negative integer written without
/// leading zeros: then they are sorted by value, so that labels 0..9, 10 keep index = value rather than "10"
/// sorting before "2".
/// </para>
/// </summary>
public sealed partial class CsvListFile
{
    private CsvListFile(string path, IReadOnlyList<CsvRow> rows, bool hasSplitColumn, IReadOnlyList<string> classNames) =>
        (Path, Rows, HasSplitColumn, ClassNames) = (path, rows, hasSplitColumn, classNames);

    public string Path { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    public bool HasSplitColumn { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Reads and checks the whole file; one error lists every malformed line with its number.</summary>
    public static CsvListFile Read(string path)
    {
        var lines = UserFiles.Run($"read CSV list '{path}'", () => File.ReadAllLines(path));
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var rows = new List<CsvRow>();
        var problems = new List<string>();
        var unlabelled = new List<string>();
        CsvColumns? columns = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var number = i + 1;
            var fields = CsvFields.Split(lines[i], out var error);
            if (error is not null)
            {
                problems.Add($"line {number}: {error}");
                continue;
            }
            if (columns is null)
            {
                if (CsvColumns.IsHeader(fields))
                {
                    columns = CsvColumns.FromHeader(fields, path);
                    continue;
                }
                if (fields.Count is not (2 or 3))
                {
                    var hint = lines[i].Contains(';') || lines[i].Contains('\t') ? " (only commas separate fields, not ';' or tabs)" : "";
                    throw new AlexNetException(
                        $"CSV list '{path}' line {number}: expected 2 or 3 fields (path,label[,split]) or a header naming the columns, found {fields.Count}{hint}.");
                }
                columns = CsvColumns.Positional(fields.Count);
            }
            if (fields.Count != columns.Count)
            {
                problems.Add($"line {number}: expected {columns.Count} fields like the first line, found {fields.Count}");
                continue;
            }
            var lineProblems = new List<string>();
            var file = fields[columns.Path];
            if (file.Length == 0) lineProblems.Add("empty path");
            var label = columns.Label is { } labelColumn ? fields[labelColumn] : WordNetId(file);
            if (columns.Label is not null && label!.Length == 0) lineProblems.Add("empty label");
            DataSplit? split = null;
            if (columns.Split is { } splitColumn)
            {
                split = ParseSplit(fields[splitColumn]);
                if (split is null) lineProblems.Add($"split '{fields[splitColumn]}' is not train, val, validation or test");
            }
            if (lineProblems.Count > 0)
            {
                problems.Add($"line {number}: {string.Join(", ", lineProblems)}");
                continue;
            }
            if (label is null)
            {
                unlabelled.Add($"line {number}: '{file}'");
                continue;
            }
            rows.Add(new CsvRow(number, FullPath(folder, file, path, number), label, split));
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException($"CSV list '{path}' has {problems.Count} malformed line(s):{Listing.Lines(problems)}");
        }
        if (unlabelled.Count > 0)
        {
            throw new AlexNetException(
                $"CSV list '{path}' has no label column (label or class), so each label is the WordNet id that starts the file name " +
                $"(n02091244_1234.JPEG → n02091244), but {unlabelled.Count} file name(s) do not start with one:{Listing.Lines(unlabelled)}");
        }
        if (rows.Count == 0) throw new AlexNetException($"CSV list '{path}' lists no images.");
        return new CsvListFile(path, rows, columns!.Split is not null, SortClasses(rows.Select(row => row.Label).Distinct(StringComparer.Ordinal)));
    }

    /// <summary>The ImageNet WordNet id (n + 8 digits) that starts the file name of <paramref name="file"/>, or null.</summary>
    public static string? WordNetId(string file)
    {
        var match = WordNetIdPattern().Match(System.IO.Path.GetFileName(file.Replace('\\', '/')));
        return match.Success ? match.Value : null;
    }

    [GeneratedRegex("^n[0-9]{8}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex WordNetIdPattern();

    private static string FullPath(string folder, string file, string csvPath, int line)
    {
        try
        {
            return System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, file));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new AlexNetException($"CSV list '{csvPath}' line {line}: '{file}' is not a usable path ({e.Message}).", e);
        }
    }

    private static DataSplit? ParseSplit(string value) => value.ToLowerInvariant() switch
    {
        "train" => DataSplit.Train,
        "val" or "validation" => DataSplit.Validation,
        "test" => DataSplit.Test,
        _ => null,
    };

    private static string[] SortClasses(IEnumerable<string> labels)
    {
        var names = labels.ToArray();
        static bool IsCanonicalInteger(string s) => s.All(char.IsAsciiDigit) && (s.Length == 1 || s[0] != '0') && s.Length <= 9;
        if (names.All(IsCanonicalInteger))
        {
            return names.OrderBy(name => int.Parse(name, CultureInfo.InvariantCulture)).ToArray();
        }
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }
}
