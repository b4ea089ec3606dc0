using System.IO.Compression;
using System.Text;

namespace AlexNet.Tests.Data.Archives;

/// <summary>
/// Tar archives written byte by byte from POSIX's header layout, so that tests can state exactly what a header says
/// (including what no tar writer would write: sizes beyond the data, broken checksums, huge pax headers).
/// </summary>
internal static class HandTar
{
    /// <summary>A ustar header block; <paramref name="sizeField"/> replaces the octal size when given, <paramref name="checksumDelta"/> spoils the checksum.</summary>
    public static byte[] Header(string name, long size, char type = '0', byte[]? sizeField = null, int checksumDelta = 0, string prefix = "")
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes(prefix).CopyTo(header, 345);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        (sizeField ?? Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0")).CopyTo(header, 124);
        Encoding.ASCII.GetBytes("14737263560\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        for (var i = 148; i < 156; i++) header[i] = (byte)' ';
        var sum = header.Sum(b => (int)b) + checksumDelta;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }

    /// <summary>A regular file: header, data, padding to the block.</summary>
    public static byte[] File(string name, byte[] data) => [.. Header(name, data.Length), .. data, .. new byte[Pad(data.Length)]];

    /// <summary>A pax extended header holding the given records, for the entry after it.</summary>
    public static byte[] Pax(params (string Key, string Value)[] records)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in records)
        {
            // The length counts bytes (UTF-8) and its own digits.
            var body = $" {key}={value}\n";
            var bodyBytes = Encoding.UTF8.GetByteCount(body);
            var length = bodyBytes + 1;
            while (length.ToString().Length + bodyBytes != length) length++;
            text.Append(length).Append(body);
        }
        var data = Encoding.UTF8.GetBytes(text.ToString());
        return [.. Header("././@PaxHeader", data.Length, 'x'), .. data, .. new byte[Pad(data.Length)]];
    }

    public static byte[] End() => new byte[1024];

    public static byte[] Gzip(byte[] tar)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tar);
        return memory.ToArray();
    }

    private static int Pad(long length) => (int)((512 - length % 512) % 512);
}
