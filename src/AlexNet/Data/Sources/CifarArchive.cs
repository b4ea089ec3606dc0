using System.Formats.Tar;
using System.IO.Compression;

namespace AlexNet.Data.Sources;

/// <summary>
/// A CIFAR archive as downloaded (<c>cifar-10-python.tar.gz</c>, <c>cifar-10-binary.tar.gz</c>, <c>cifar-100-*.tar.gz</c>;
/// a plain <c>.tar</c> too), read straight from the file without unpacking it: the files of one CIFAR version are kept
/// in memory by name, everything else in the archive is skipped. Entries are read as their data arrives, never
/// sized from their headers, so a damaged archive cannot make the reader reserve memory it does not fill.
/// </summary>
internal sealed class CifarArchive : ICifarFiles
{
    private readonly Dictionary<string, (string Entry, byte[] Bytes)> _files;

    private CifarArchive(string path, Dictionary<string, (string Entry, byte[] Bytes)> files) => (Location, _files) = (path, files);

    public string Location { get; }

    public static bool IsArchiveName(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ||
        path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    public static CifarArchive Read(string path)
    {
        var wanted = CifarVersion.All.SelectMany(version => version.FileNames).ToHashSet(StringComparer.Ordinal);
        var files = new Dictionary<string, (string Entry, byte[] Bytes)>(StringComparer.Ordinal);
        var stream = UserFiles.Run($"open CIFAR archive '{path}'", () => (Stream)File.OpenRead(path));
        try
        {
            using (stream)
            {
                var gzip = stream.ReadByte() == 0x1f && stream.ReadByte() == 0x8b;
                stream.Position = 0;
                using var content = gzip ? new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true) : stream;
                using var tar = new TarReader(content);
                while (tar.GetNextEntry() is { } entry)
                {
                    if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                    var name = entry.Name.Replace('\\', '/').TrimEnd('/');
                    var baseName = name[(name.LastIndexOf('/') + 1)..];
                    if (!wanted.Contains(baseName)) continue;
                    if (files.TryGetValue(baseName, out var earlier))
                    {
                        throw new AlexNetException($"CIFAR archive '{path}' holds '{baseName}' twice: '{earlier.Entry}' and '{name}'.");
                    }
                    files[baseName] = (name, ReadAll(entry.DataStream));
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException or ArgumentException or OverflowException
            or NotSupportedException or InvalidOperationException or IOException)
        {
            throw new AlexNetException($"CIFAR archive '{path}' is truncated or corrupt: {e.Message}", e);
        }
        return new CifarArchive(path, files);
    }

    public bool Has(string name) => _files.ContainsKey(name);

    public string Describe(string name) => _files.TryGetValue(name, out var file) ? $"{Location}:{file.Entry}" : $"{Location}:{name}";

    public byte[] Take(string name)
    {
        var bytes = _files[name].Bytes;
        _files[name] = (_files[name].Entry, []);
        return bytes;
    }

    /// <summary>Reads to the end in chunks, so that memory grows only with the data that is really there.</summary>
    private static byte[] ReadAll(Stream stream)
    {
        var chunks = new List<byte[]>();
        long total = 0;
        while (true)
        {
            // Chunks grow with what has arrived: small entries stay small, large ones take few copies.
            var chunk = new byte[(int)Math.Clamp(total, 1 << 16, 1 << 24)];
            var filled = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            if (filled == 0) break;
            if (filled < chunk.Length) Array.Resize(ref chunk, filled);
            chunks.Add(chunk);
            total += filled;
            if (total > Array.MaxLength) throw new InvalidDataException("an entry is larger than 2 GB");
        }
        var bytes = new byte[total];
        var offset = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(bytes, offset);
            offset += chunk.Length;
        }
        return bytes;
    }
}
