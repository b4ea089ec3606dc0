using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// One split stored as <c>split/&lt;class&gt;/*.{jpg,jpeg,png}</c>, as torchvision's ImageFolder reads it: classes
/// are the sub-folder names sorted ordinally, files within a class are sorted ordinally, extensions match
/// case-insensitively. Differences from ImageFolder: only files directly inside a class folder count (no
/// recursion), hidden sub-folders (".name") are skipped, and entries named like images that are not readable
/// files (folders, dangling links) are kept as samples so the pre-scan reports them.
/// </summary>
public sealed class ClassFolderSource : ImageFileSource
{
    private ClassFolderSource(string folder, string[] paths, int[] labels, IReadOnlyList<string> classNames, IImageDecoder decoder)
        : base(paths, labels, classNames, decoder) => Folder = folder;

    public string Folder { get; }

    /// <summary>
    /// Opens a split whose own sub-folders define the classes. A class folder without images is an error (listing
    /// every such folder): keeping it would make a class no sample can have, dropping it would silently shift
    /// the indices of the classes after it.
    /// </summary>
    public static ClassFolderSource Open(string folder, IImageDecoder decoder)
    {
        var classNames = ClassFolderNames(folder);
        var files = classNames.Select(name => ImageFiles.List(Path.Combine(folder, name))).ToArray();
        var empty = classNames.Where((_, c) => files[c].Length == 0).ToList();
        if (empty.Count > 0)
        {
            throw new AlexNetException(
                $"{empty.Count} class folder(s) in '{folder}' hold no {ImageFiles.ExtensionList} images; remove them or add images " +
                $"(an empty class would shift the indices of the classes after it):{Listing.Lines(empty.Select(name => Path.Combine(folder, name)))}");
        }
        return Build(folder, classNames, classNames, files, decoder);
    }

    /// <summary>
    /// Opens a split (validation, test) against a class list fixed elsewhere, normally the training split's, so
    /// that labels mean the same in every split. Every class folder must be in <paramref name="classNames"/>
    /// (the error lists those that are not); classes without a folder or without images are allowed here, since
    /// indices come from the given list.
    /// </summary>
    public static ClassFolderSource Open(string folder, IImageDecoder decoder, IReadOnlyList<string> classNames)
    {
        var folderNames = ClassFolderNames(folder);
        var known = new HashSet<string>(classNames, StringComparer.Ordinal);
        var unknown = folderNames.Where(name => !known.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new AlexNetException(
                $"{unknown.Count} class folder(s) in '{folder}' are not among the {classNames.Count} classes of the data set:" +
                Listing.Lines(unknown.Select(name => Path.Combine(folder, name))));
        }
        var files = folderNames.Select(name => ImageFiles.List(Path.Combine(folder, name))).ToArray();
        return Build(folder, folderNames, classNames, files, decoder);
    }

    /// <summary>The class sub-folders of <paramref name="folder"/>, sorted ordinally; none is an error.</summary>
    internal static string[] ClassFolderNames(string folder)
    {
        if (!Directory.Exists(folder)) throw new AlexNetException($"Class folder root '{folder}' does not exist.");
        var names = ImageFiles.SubFolderNames(folder);
        if (names.Length == 0)
        {
            throw new AlexNetException($"'{folder}' holds no class sub-folders; expected '{folder}/<class>/*.jpg' (or .jpeg, .png).");
        }
        return names;
    }

    private static ClassFolderSource Build(string folder, string[] folderNames, IReadOnlyList<string> classNames, string[][] files, IImageDecoder decoder)
    {
        var index = classNames.Select((name, i) => (name, i)).ToDictionary(pair => pair.name, pair => pair.i, StringComparer.Ordinal);
        var paths = new List<string>();
        var labels = new List<int>();
        for (var f = 0; f < folderNames.Length; f++)
        {
            paths.AddRange(files[f]);
            labels.AddRange(Enumerable.Repeat(index[folderNames[f]], files[f].Length));
        }
        if (paths.Count == 0) throw new AlexNetException($"'{folder}' holds no {ImageFiles.ExtensionList} images in its class folders.");
        return new ClassFolderSource(folder, paths.ToArray(), labels.ToArray(), classNames, decoder);
    }
}
