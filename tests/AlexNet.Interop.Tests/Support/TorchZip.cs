using System.IO.Compression;

namespace AlexNet.Interop.Tests.Support;

/// <summary>Builds torch.save-shaped zip archives around hand-written pickles.</summary>
public static class TorchZip
{
    public static byte[] WithPickle(byte[] pickle, IReadOnlyDictionary<string, byte[]>? storages = null)
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "archive/data.pkl", pickle);
            foreach (var (key, bytes) in storages ?? new Dictionary<string, byte[]>()) Add(zip, "archive/data/" + key, bytes);
            Add(zip, "archive/version", "3\n"u8.ToArray());
        }
        return memory.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }
}
