using System.Text.Json;

namespace AlexNet.Data.Sources;

/// <summary>
/// The two JSON objects of the seed project's layout: image id (file name without extension) → label name,
/// and label name → class index. Indices come from the second file so that they stay stable across runs and
/// tools; they must be exactly 0..n−1. Class names are ordered by index.
/// </summary>
public sealed class SeedJsonMaps
{
    private SeedJsonMaps(string imageLabelsPath, string labelIndexPath, Dictionary<string, string> imageLabels,
        Dictionary<string, int> labelIndex, string[] classNames)
    {
        (ImageLabelsPath, LabelIndexPath) = (imageLabelsPath, labelIndexPath);
        (ImageLabels, LabelIndex, ClassNames) = (imageLabels, labelIndex, Array.AsReadOnly(classNames));
    }

    public string ImageLabelsPath { get; }

    public string LabelIndexPath { get; }

    public IReadOnlyDictionary<string, string> ImageLabels { get; }

    public IReadOnlyDictionary<string, int> LabelIndex { get; }

    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Reads and cross-checks both files; each error lists every culprit of its kind.</summary>
    public static SeedJsonMaps Read(string imageLabelsPath, string labelIndexPath)
    {
        var imageLabels = ReadStringMap(imageLabelsPath);
        var labelIndex = ReadIndexMap(labelIndexPath);
        var classNames = CheckIndices(labelIndex, labelIndexPath);
        var missing = imageLabels.GroupBy(pair => pair.Value, StringComparer.Ordinal)
            .Where(group => !labelIndex.ContainsKey(group.Key))
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => $"'{group.Key}' (used by {group.Count()} image(s), e.g. '{group.First().Key}')")
            .ToList();
        if (missing.Count > 0)
        {
            throw new AlexNetException(
                $"{missing.Count} label(s) used in '{imageLabelsPath}' are missing from the label index map '{labelIndexPath}':{Listing.Lines(missing)}");
        }
        return new SeedJsonMaps(imageLabelsPath, labelIndexPath, imageLabels, labelIndex, classNames);
    }

    /// <summary>What a JSON file at a data set's root looks like, judged from its first value only (cheap).</summary>
    internal static SeedJsonKind Classify(string path)
    {
        var buffer = new byte[64 * 1024];
        int length;
        try
        {
            using var stream = File.OpenRead(path);
            length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return SeedJsonKind.Other;
        }
        try
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock: length < buffer.Length, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return SeedJsonKind.Other;
            if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName) return SeedJsonKind.Other;
            if (!reader.Read()) return SeedJsonKind.Other;
            return reader.TokenType switch
            {
                JsonTokenType.String => SeedJsonKind.ImageLabels,
                JsonTokenType.Number => SeedJsonKind.LabelIndex,
                _ => SeedJsonKind.Other,
            };
        }
        catch (JsonException)
        {
            return SeedJsonKind.Other;
        }
    }

    private static Dictionary<string, string> ReadStringMap(string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var property in ReadObject(path))
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add($"'{property.Name}': {property.Value.ValueKind.ToString().ToLowerInvariant()} instead of a label name");
            }
            else if (!map.TryAdd(property.Name, property.Value.GetString()!))
            {
                problems.Add($"'{property.Name}': appears more than once");
            }
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException($"Image label map '{path}' (image id → label name) has {problems.Count} bad entr(ies):{Listing.Lines(problems)}");
        }
        return map;
    }

    private static Dictionary<string, int> ReadIndexMap(string path)
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var property in ReadObject(path))
        {
            if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt32(out var index))
            {
                problems.Add($"'{property.Name}': {property.Value.GetRawText()} is not an integer class index");
            }
            else if (!map.TryAdd(property.Name, index))
            {
                problems.Add($"'{property.Name}': appears more than once");
            }
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException($"Label index map '{path}' (label name → class index) has {problems.Count} bad entr(ies):{Listing.Lines(problems)}");
        }
        if (map.Count == 0) throw new AlexNetException($"Label index map '{path}' is empty.");
        return map;
    }

    /// <summary>Checks that the indices are exactly 0..n−1 and returns the names ordered by index.</summary>
    private static string[] CheckIndices(Dictionary<string, int> labelIndex, string path)
    {
        var n = labelIndex.Count;
        var problems = new List<string>();
        foreach (var pair in labelIndex.Where(pair => pair.Value < 0 || pair.Value >= n).OrderBy(pair => pair.Value))
        {
            problems.Add($"'{pair.Key}' → {pair.Value} is outside 0..{n - 1}");
        }
        var byIndex = labelIndex.Where(pair => pair.Value >= 0 && pair.Value < n)
            .GroupBy(pair => pair.Value).ToDictionary(group => group.Key, group => group.Select(pair => pair.Key).Order(StringComparer.Ordinal).ToArray());
        foreach (var group in byIndex.Where(group => group.Value.Length > 1).OrderBy(group => group.Key))
        {
            problems.Add($"index {group.Key} is used by {string.Join(", ", group.Value.Select(name => $"'{name}'"))}");
        }
        var gaps = Enumerable.Range(0, n).Where(i => !byIndex.ContainsKey(i)).ToList();
        if (gaps.Count > 0) problems.Add($"no label has index {string.Join(", ", gaps)}");
        if (problems.Count > 0)
        {
            throw new AlexNetException(
                $"Label index map '{path}' must number its {n} labels 0..{n - 1} without gaps or duplicates:{Listing.Lines(problems)}");
        }
        return Enumerable.Range(0, n).Select(i => byIndex[i][0]).ToArray();
    }

    private static IEnumerable<JsonProperty> ReadObject(string path)
    {
        JsonDocument document;
        try
        {
            var bytes = File.ReadAllBytes(path);
            // JsonDocument checks UTF-8 only when a string is read; check it here so that a bad byte is a bad file.
            if (!System.Text.Unicode.Utf8.IsValid(bytes)) throw new AlexNetException($"'{path}' is not valid JSON: it is not UTF-8 text.");
            document = JsonDocument.Parse(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AlexNetException($"Cannot read JSON map '{path}': {e.Message}", e);
        }
        catch (JsonException e)
        {
            throw new AlexNetException($"'{path}' is not valid JSON: {e.Message}", e);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new AlexNetException($"'{path}' must hold one JSON object, found {document.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
            }
            // Cloned so the properties outlive the pooled document.
            return document.RootElement.Clone().EnumerateObject().ToList();
        }
    }
}
