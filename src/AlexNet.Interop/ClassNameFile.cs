namespace AlexNet.Interop;

/// <summary>A text file with one class name per line, in class-index order.</summary>
public static class ClassNameFile
{
    public static IReadOnlyList<string> Read(string path, int expectedCount)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AlexNetException($"Cannot read the class list '{path}': {e.Message}", e);
        }
        var names = lines.Select(l => l.Trim()).ToList();
        while (names.Count > 0 && names[^1].Length == 0) names.RemoveAt(names.Count - 1);
        var blank = names.FindIndex(n => n.Length == 0);
        if (blank >= 0) throw new AlexNetException($"The class list '{path}' has an empty name on line {blank + 1}.");
        if (names.Count != expectedCount)
        {
            throw new AlexNetException($"The class list '{path}' has {names.Count} names, but the model has {expectedCount} classes.");
        }
        return names;
    }

    /// <summary>The names from <paramref name="path"/>, else ImageNet's for a 1000-class model.</summary>
    public static IReadOnlyList<string> Resolve(string? path, int classes, string source)
    {
        if (path is not null) return Read(path, classes);
        if (classes == ImageNetClasses.Count) return ImageNetClasses.Names;
        throw new AlexNetException($"'{source}' has {classes} classes, not ImageNet's 1000: name them with --classes FILE (one name per line).");
    }
}
