namespace AlexNet.Data.Sources;

/// <summary>
/// Where a CSV list keeps the image path, the label and the split. A header names its columns in any order:
/// the path is <c>filename</c>, <c>file</c>, <c>path</c> or <c>image</c>; the label <c>label</c> or <c>class</c>;
/// the split <c>split</c> (any case). A column with an empty name or pandas' <c>Unnamed: 0</c> is the index that
/// <c>DataFrame.to_csv</c> writes, and other columns are ignored. Without a header the columns are
/// <c>path,label[,split]</c>.
/// </summary>
internal sealed record CsvColumns(int Count, int Path, int? Label, int? Split)
{
    public static IReadOnlyList<string> PathNames { get; } = ["filename", "file", "path", "image"];

    public static IReadOnlyList<string> LabelNames { get; } = ["label", "class"];

    public const string SplitName = "split";

    /// <summary>The columns of a file without a header: path, label and, with three fields, split.</summary>
    public static CsvColumns Positional(int count) => new(count, 0, 1, count == 3 ? 2 : null);

    /// <summary>
    /// True when <paramref name="fields"/> read as a header: at least one of them is a column name above, or the first
    /// is pandas' index column. A data line has a file path there instead.
    /// </summary>
    public static bool IsHeader(IReadOnlyList<string> fields) =>
        fields.Any(field => Kind(field) is not ColumnKind.Other) || (fields.Count > 1 && IsIndexName(fields[0]));

    /// <summary>The columns a header names; throws naming the file when it names no path column, or one role twice.</summary>
    public static CsvColumns FromHeader(IReadOnlyList<string> fields, string csvPath)
    {
        int? Single(ColumnKind kind)
        {
            var matches = Enumerable.Range(0, fields.Count).Where(i => Kind(fields[i]) == kind).ToList();
            if (matches.Count > 1)
            {
                throw new AlexNetException(
                    $"CSV list '{csvPath}': its header has {matches.Count} {kind.ToString().ToLowerInvariant()} columns ({Listing.Inline(matches.Select(i => fields[i]))}); keep one.");
            }
            return matches.Count == 1 ? matches[0] : null;
        }
        var path = Single(ColumnKind.Path) ?? throw new AlexNetException(
            $"CSV list '{csvPath}': its header ({Listing.Inline(fields)}) names no image column; call it {string.Join(", ", PathNames)}.");
        return new CsvColumns(fields.Count, path, Single(ColumnKind.Label), Single(ColumnKind.Split));
    }

    private static bool IsIndexName(string field) => field.Length == 0 || field.StartsWith("Unnamed: ", StringComparison.Ordinal);

    private static ColumnKind Kind(string field)
    {
        var name = field.Trim().ToLowerInvariant();
        if (PathNames.Contains(name)) return ColumnKind.Path;
        if (LabelNames.Contains(name)) return ColumnKind.Label;
        return name == SplitName ? ColumnKind.Split : ColumnKind.Other;
    }

    private enum ColumnKind
    {
        Path,
        Label,
        Split,
        Other,
    }
}
