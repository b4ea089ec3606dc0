namespace AlexNet.Data.Sources;

/// <summary>
/// The two JSON maps found at a seed-layout root, or why they were not: exactly one <c>*.json</c> file must map
/// strings to strings (image id → label) and exactly one strings to integers (label → index).
/// </summary>
internal sealed record SeedJsonMapFiles(string? ImageLabels, string? LabelIndex, string Problem)
{
    public bool Found => ImageLabels is not null && LabelIndex is not null;

    public static SeedJsonMapFiles Find(string root)
    {
        var files = Directory.EnumerateFiles(root, "*.json").Order(StringComparer.Ordinal).ToList();
        var kinds = files.Select(file => (file, kind: SeedJsonMaps.Classify(file))).ToList();
        var labels = kinds.Where(entry => entry.kind == SeedJsonKind.ImageLabels).Select(entry => entry.file).ToList();
        var indices = kinds.Where(entry => entry.kind == SeedJsonKind.LabelIndex).Select(entry => entry.file).ToList();
        if (labels.Count == 1 && indices.Count == 1) return new SeedJsonMapFiles(labels[0], indices[0], "");
        var found = files.Count == 0
            ? "no .json files"
            : string.Join(", ", kinds.Select(entry => $"'{Path.GetFileName(entry.file)}' ({Describe(entry.kind)})"));
        return new SeedJsonMapFiles(null, null,
            $"the root '{root}' needs exactly one JSON object mapping image ids to label names and one mapping label names to " +
            $"class indices; found {found}. Name them explicitly (image labels and label index JSON files) if the guess is wrong");
    }

    private static string Describe(SeedJsonKind kind) => kind switch
    {
        SeedJsonKind.ImageLabels => "strings → strings",
        SeedJsonKind.LabelIndex => "strings → numbers",
        _ => "neither map",
    };
}
