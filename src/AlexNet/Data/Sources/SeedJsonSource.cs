using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// One split of the seed project's layout: image files directly in <c>root/train</c> (or val, test), labelled
/// through <see cref="SeedJsonMaps"/> by their id, the file name without extension (compared ordinally, so
/// case-sensitively). Files are sorted ordinally.
/// </summary>
public sealed class SeedJsonSource : ImageFileSource
{
    private SeedJsonSource(string folder, string[] paths, int[] labels, IReadOnlyList<string> classNames, IImageDecoder decoder)
        : base(paths, labels, classNames, decoder) => Folder = folder;

    public string Folder { get; }

    /// <summary>
    /// Lists the split's images and labels them. One error lists every id that appears twice (a.jpg and a.png)
    /// and every id without a label (up to <see cref="Listing.Cap"/>, then a count).
    /// </summary>
    public static SeedJsonSource Open(string folder, SeedJsonMaps maps, IImageDecoder decoder)
    {
        if (!Directory.Exists(folder)) throw new AlexNetException($"Split folder '{folder}' does not exist.");
        var paths = ImageFiles.List(folder);
        if (paths.Length == 0) throw new AlexNetException($"Split folder '{folder}' holds no {ImageFiles.ExtensionList} images.");
        var ids = paths.Select(path => Path.GetFileNameWithoutExtension(path)).ToArray();
        var problems = new List<string>();
        var duplicates = paths.Select((path, i) => (id: ids[i], name: Path.GetFileName(path)))
            .GroupBy(entry => entry.id, StringComparer.Ordinal)
            .Where(group => group.Count() > 1)
            .Select(group => $"'{group.Key}': {string.Join(", ", group.Select(entry => entry.name))}")
            .ToList();
        if (duplicates.Count > 0)
        {
            problems.Add($"{duplicates.Count} image id(s) appear more than once (ids are file names without extension):{Listing.Lines(duplicates)}");
        }
        var unlabelled = paths.Where((_, i) => !maps.ImageLabels.ContainsKey(ids[i])).Select(Path.GetFileName).OfType<string>().ToList();
        if (unlabelled.Count > 0)
        {
            problems.Add($"{unlabelled.Count} image(s) have no label in '{maps.ImageLabelsPath}':{Listing.Lines(unlabelled)}");
        }
        if (problems.Count > 0) throw new AlexNetException($"Split folder '{folder}': {string.Join("\n", problems)}");
        var labels = ids.Select(id => maps.LabelIndex[maps.ImageLabels[id]]).ToArray();
        return new SeedJsonSource(folder, paths, labels, maps.ClassNames, decoder);
    }
}
