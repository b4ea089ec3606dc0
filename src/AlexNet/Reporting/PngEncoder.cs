using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using AlexNet.Data.Images;

namespace AlexNet.Reporting;

/// <summary>
/// Writes 8-bit grey or RGB images as PNG (W3C PNG specification, 2nd edition): signature, IHDR, one zlib
/// IDAT with filter type 0 on every row, IEND. Small and dependency-free, for the thumbnails a report embeds
/// as data URIs; no attempt at the best compression.
/// </summary>
public static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>PNG colour types (specification §11.2.2).</summary>
    private const byte GreyColourType = 0, RgbColourType = 2;

    public static byte[] Encode(Image image)
    {
        if (image.Channels is not (1 or 3))
        {
            throw new ArgumentException($"PNG encoding takes grey or RGB images, not {image.Channels} channels.", nameof(image));
        }
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bits per sample
        header[9] = image.Channels == 1 ? GreyColourType : RgbColourType;
        // header[10..13]: deflate compression, adaptive filtering (method 0), no interlace: all zero.
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", Compress(image));
        WriteChunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>The image as a <c>data:image/png;base64,…</c> URI (RFC 2397).</summary>
    public static string DataUri(Image image) => "data:image/png;base64," + Convert.ToBase64String(Encode(image));

    private static byte[] Compress(Image image)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            var stride = image.Stride;
            for (var y = 0; y < image.Height; y++)
            {
                zlib.WriteByte(0); // filter type None
                zlib.Write(image.Pixels, y * stride, stride);
            }
        }
        return compressed.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        // The CRC covers the chunk type and data, not the length.
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(typeBytes), data));
        output.Write(word);
    }
}
