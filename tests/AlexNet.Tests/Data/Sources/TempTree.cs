namespace AlexNet.Tests.Data.Sources;

/// <summary>A temporary folder for building small data sets on disk; deleted on dispose.</summary>
internal sealed class TempTree : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("alexnet-sources-").FullName;

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Writes a small valid image (the fake decoder's PNM, whatever the extension); returns its full path.</summary>
    public string Image(string relative, byte value = 7, int width = 3, int height = 2, int channels = 3) =>
        Write(relative, FakePnmDecoder.Encode(width, height, channels, value));

    public string Write(string relative, byte[] content)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    public string Text(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public string Folder(string relative) => Directory.CreateDirectory(PathOf(relative)).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
