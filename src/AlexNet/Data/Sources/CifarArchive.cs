using System.IO.Compression;
using AlexNet.Data.Archives;

namespace AlexNet.Data.Sources;

/// <summary>
/// A CIFAR archive as downloaded (<c>cifar-10-python.tar.gz</c>, <c>cifar-10-binary.tar.gz</c>, <c>cifar-100-*.tar.gz</c>;
/// a plain <c>.tar</c> too), read straight from the file without unpacking it: the files of one CIFAR version are kept
/// in memory by name, everything else in the archive is skipped. The tar headers are read by our own
/// <see cref="TarArchiveReader"/>, so memory follows the data that is really there: no entry may declare more than
/// the file can inflate to (1032 × its size for gzip), a CIFAR file more than <see cref="MaxFileBytes"/>, and kept
/// entries are read as their data arrives (at most twice the inflated data while an entry is assembled).
/// </summary>
internal sealed class CifarArchive : ICifarFiles
{
    /// <summary>deflate cannot inflate more than 1032 bytes from one (RFC 1951's longest match in the shortest code).</summary>
    public const long DeflateRatio = 1032;

    /// <summary>
    /// No CIFAR file comes near: the largest, CIFAR-100's python training set, is about 155 MB (50,000 × 3,072 pixel bytes
    /// and the labels and file names); CIFAR-100's train.bin is 153.7 MB.
    /// </summary>
    public const long MaxFileBytes = 256L << 20;

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
                var tar = new TarArchiveReader(content, gzip ? DeflateRatio * stream.Length : stream.Length);
                while (tar.Next() is { } entry)
                {
                    if (entry.Kind != TarEntryKind.File) continue;
                    var name = entry.Name.Replace('\\', '/').TrimEnd('/');
                    var baseName = name[(name.LastIndexOf('/') + 1)..];
                    if (!wanted.Contains(baseName)) continue;
                    if (files.TryGetValue(baseName, out var earlier))
                    {
                        throw new AlexNetException($"CIFAR archive '{path}' holds '{baseName}' twice: '{earlier.Entry}' and '{name}'.");
                    }
                    if (entry.Size > MaxFileBytes)
                    {
                        throw new AlexNetException(
                            $"CIFAR archive '{path}' holds '{name}' of {entry.Size:N0} bytes, larger than any CIFAR file (at most {MaxFileBytes:N0}; the largest, CIFAR-100's training set, is about 155 MB).");
                    }
                    files[baseName] = (name, tar.ReadData());
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException or NotSupportedException)
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
}
