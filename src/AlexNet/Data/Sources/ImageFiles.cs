using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>Finding and reading encoded image files, shared by the file-based sources.</summary>
internal static class ImageFiles
{
    /// <summary>The extensions the decoders handle, compared case-insensitively.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".jpg", ".jpeg", ".png"];

    public const string ExtensionList = ".jpg, .jpeg or .png";

    public static bool HasImageExtension(string path) =>
        Extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The entries of <paramref name="folder"/> named like images, sorted ordinally. Directories and dangling
    /// links named like images are listed too: loading them fails with a message, so the pre-scan reports them
    /// instead of the data set silently losing them.
    /// </summary>
    public static string[] List(string folder)
    {
        var entries = UserFiles.Run($"list folder '{folder}'", () => Directory.EnumerateFileSystemEntries(folder).Where(HasImageExtension).ToArray());
        Array.Sort(entries, StringComparer.Ordinal);
        return entries;
    }

    /// <summary>The sub-folders of <paramref name="folder"/> by name, sorted ordinally; hidden ones (".name") are skipped.</summary>
    public static string[] SubFolderNames(string folder)
    {
        var names = UserFiles.Run($"list folder '{folder}'", () => Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>()
            .Where(name => !name.StartsWith('.') && !HasImageExtension(name)).ToArray());
        Array.Sort(names, StringComparer.Ordinal);
        return names;
    }

    /// <summary>Reads and decodes one file; every failure is an <see cref="AlexNetException"/> naming the file.</summary>
    public static Image Load(string path, IImageDecoder decoder, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var link = new FileInfo(path).LinkTarget;
            var reason = Directory.Exists(path) ? "it is a folder, not a file"
                : link is not null && e is FileNotFoundException or DirectoryNotFoundException ? $"it is a link to '{link}', which does not exist"
                : e.Message;
            throw new AlexNetException($"Cannot read image '{path}': {reason}", e);
        }
        if (bytes.Length == 0) throw new AlexNetException($"Image '{path}' is empty (0 bytes).");
        return decoder.Decode(bytes, path, channels);
    }
}
