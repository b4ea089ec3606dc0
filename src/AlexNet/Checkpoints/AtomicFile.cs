namespace AlexNet.Checkpoints;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content, never a torn
/// file: the bytes go to a temporary file in the same folder, are flushed to disk, then renamed over the
/// target. A crash mid-write leaves only the temporary file behind; a failed write (a full disk) removes it and
/// becomes an <see cref="AlexNetException"/> naming the file.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> writeContent)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath) ?? ".";
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                writeContent(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        // .NET reports a write past the file-size limit (EFBIG) as an ArgumentOutOfRangeException; to the user it is one
        // more way of running out of disk.
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            TryDelete(temporary);
            throw new AlexNetException($"Cannot write '{fullPath}': {e.Message}", e);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(text);
        });

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The temporary file is ours alone; failing to remove it must not hide the original error.
        }
    }
}
