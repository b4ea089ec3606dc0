using System.Formats.Tar;
using System.IO.Compression;

namespace AlexNet.Fuzzing;

/// <summary>Rebuilds the containers around a mutated inner file: zip entries, tar entries, gzip.</summary>
internal static class Containers
{
    public static byte[] Gzip(byte[] bytes)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(bytes);
        return memory.ToArray();
    }

    public static byte[] Gunzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }

    /// <summary>How many bytes a gzip stream inflates to before it ends or breaks (the measure a reader's memory may follow).</summary>
    public static long InflatedLength(byte[] bytes)
    {
        long total = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = gzip.Read(buffer)) > 0) total += read;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            // A broken stream inflates to what came before the break.
        }
        return total;
    }

    /// <summary>The zip archive with one entry's content replaced (stored, as torch.save writes entries).</summary>
    public static byte[] ReplaceZipEntry(byte[] zipBytes, string entryName, byte[] content)
    {
        using var source = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        using var memory = new MemoryStream();
        using (var target = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var output = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression).Open();
                if (entry.FullName == entryName) output.Write(content);
                else
                {
                    using var input = entry.Open();
                    input.CopyTo(output);
                }
            }
        }
        return memory.ToArray();
    }

    public static byte[] ZipEntry(byte[] zipBytes, string entryName)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        using var input = zip.GetEntry(entryName)!.Open();
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The entries of a tar archive, in order.</summary>
    public static List<(string Name, TarEntryType Type, byte[] Content)> TarEntries(byte[] tar)
    {
        var entries = new List<(string, TarEntryType, byte[])>();
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            using var copy = new MemoryStream();
            entry.DataStream?.CopyTo(copy);
            entries.Add((entry.Name, entry.EntryType, copy.ToArray()));
        }
        return entries;
    }

    public static byte[] Tar(IEnumerable<(string Name, TarEntryType Type, byte[] Content)> entries)
    {
        using var memory = new MemoryStream();
        using (var writer = new TarWriter(memory, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (name, type, content) in entries)
            {
                var entry = new GnuTarEntry(type, name);
                if (type is TarEntryType.RegularFile or TarEntryType.V7RegularFile) entry.DataStream = new MemoryStream(content);
                writer.WriteEntry(entry);
            }
        }
        return memory.ToArray();
    }
}
