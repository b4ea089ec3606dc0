namespace AlexNet.Inference.Features;

/// <summary>
/// A file written as a stream that appears under its name only when complete: the bytes go to a temporary file
/// in the same folder, and <see cref="Commit"/> flushes and renames it. Disposed without a commit (an error, a
/// cancellation), the temporary file is deleted and nothing is left behind.
/// </summary>
internal sealed class PendingFile : IDisposable
{
    private readonly string _temporary;
    private bool _committed;

    public PendingFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path) ?? ".";
        _temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Stream = UserFiles.Run($"create '{path}'", () =>
        {
            Directory.CreateDirectory(folder);
            return new FileStream(_temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        });
    }

    public string Path { get; }

    public FileStream Stream { get; }

    /// <summary>Flushes and renames the file; the stream stays open (writers over it may still flush nothing) until disposal.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        UserFiles.Run($"write '{Path}'", () =>
        {
            File.Move(_temporary, Path, overwrite: true);
            return true;
        });
        _committed = true;
    }

    public void Dispose()
    {
        Stream.Dispose();
        if (_committed) return;
        try
        {
            File.Delete(_temporary);
        }
        catch (IOException)
        {
            // Ours alone; failing to remove it must not hide the error that got us here.
        }
    }
}
