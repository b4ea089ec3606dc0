using System.Globalization;
using System.Text;

namespace AlexNet.Data.Sources;

/// <summary>
/// A CSV list of images: <c>path,label</c> or <c>path,label,split</c> per line, comma-separated, fields
/// optionally in double quotes (<c>""</c> for a quote; a field cannot span lines), surrounding spaces trimmed,
/// blank lines skipped. A first line reading <c>path,label[,split]</c> (any case) is a header. The first line
/// fixes the number of columns. Paths are relative to the CSV file's folder unless absolute. Split values are
/// <c>train</c>, <c>val</c>/<c>validation</c>, <c>test</c> (any case).
/// <para>
/// Labels are class names. Classes are all distinct labels of the file (every split), sorted ordinally, except
/// when every label is a non-negative integer written without leading zeros: then they are sorted by value,
/// so that labels 0..9, 10 keep index = value rather than "10" sorting before "2".
/// </para>
/// </summary>
public sealed class CsvListFile
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
        int? columns = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            var number = i + 1;
            var fields = SplitFields(lines[i], out var error);
            if (error is not null)
            {
                problems.Add($"line {number}: {error}");
                continue;
            }
            if (columns is null)
            {
                columns = fields.Count;
                if (columns is not (2 or 3))
                {
                    var hint = lines[i].Contains(';') || lines[i].Contains('\t') ? " (only commas separate fields, not ';' or tabs)" : "";
                    throw new AlexNetException(
                        $"CSV list '{path}' line {number}: expected 2 or 3 fields (path,label[,split]), found {fields.Count}{hint}.");
                }
                if (IsHeader(fields)) continue;
            }
            if (fields.Count != columns)
            {
                problems.Add($"line {number}: expected {columns} fields like the first line, found {fields.Count}");
                continue;
            }
            var lineProblems = new List<string>();
            if (fields[0].Length == 0) lineProblems.Add("empty path");
            if (fields[1].Length == 0) lineProblems.Add("empty label");
            DataSplit? split = null;
            if (columns == 3)
            {
                split = ParseSplit(fields[2]);
                if (split is null) lineProblems.Add($"split '{fields[2]}' is not train, val, validation or test");
            }
            if (lineProblems.Count > 0)
            {
                problems.Add($"line {number}: {string.Join(", ", lineProblems)}");
                continue;
            }
            rows.Add(new CsvRow(number, System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, fields[0])), fields[1], split));
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException($"CSV list '{path}' has {problems.Count} malformed line(s):{Listing.Lines(problems)}");
        }
        if (rows.Count == 0) throw new AlexNetException($"CSV list '{path}' lists no images.");
        return new CsvListFile(path, rows, columns == 3, SortClasses(rows.Select(row => row.Label).Distinct(StringComparer.Ordinal)));
    }

    private static bool IsHeader(List<string> fields) =>
        fields[0].Equals("path", StringComparison.OrdinalIgnoreCase) && fields[1].Equals("label", StringComparison.OrdinalIgnoreCase) &&
        (fields.Count == 2 || fields[2].Equals("split", StringComparison.OrdinalIgnoreCase));

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

    /// <summary>Splits one line at commas outside double quotes; trims unquoted spaces.</summary>
    private static List<string> SplitFields(string line, out string? error)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var i = 0;
        error = null;
        while (true)
        {
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        error = "unterminated quoted field";
                        return fields;
                    }
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                while (i < line.Length && line[i] == ' ') i++;
                if (i < line.Length && line[i] != ',')
                {
                    error = "text after a closing quote";
                    return fields;
                }
                fields.Add(field.ToString());
            }
            else
            {
                var end = line.IndexOf(',', i);
                if (end < 0) end = line.Length;
                fields.Add(line[i..end].Trim());
                i = end;
            }
            field.Clear();
            if (i >= line.Length) return fields;
            i++; // the comma
        }
    }
}
