using System.Text;
using AlexNet.Data.Images;

namespace AlexNet.Tests.Data.Sources;

/// <summary>
/// A stand-in for the native decoder: binary PGM (P5) and PPM (P6) with maxval 255, whatever the file's
/// extension. Like the real one it throws <see cref="AlexNetException"/> naming the source for anything it
/// cannot decode, including images over a pixel limit.
/// </summary>
internal sealed class FakePnmDecoder(long maxPixels = 1 << 20) : IImageDecoder
{
    public Image Decode(ReadOnlySpan<byte> encodedSpan, string source, int channels)
    {
        var encoded = encodedSpan.ToArray();
        var position = 0;
        string Token()
        {
            while (position < encoded.Length && char.IsWhiteSpace((char)encoded[position])) position++;
            var start = position;
            while (position < encoded.Length && !char.IsWhiteSpace((char)encoded[position])) position++;
            return Encoding.ASCII.GetString(encoded, start, position - start);
        }
        var magic = Token();
        if (magic is not ("P5" or "P6")) throw new AlexNetException($"'{source}' is not an image: no PNM signature.");
        if (!int.TryParse(Token(), out var width) || !int.TryParse(Token(), out var height) || Token() != "255" || width <= 0 || height <= 0)
        {
            throw new AlexNetException($"'{source}' has a corrupt PNM header.");
        }
        if ((long)width * height > maxPixels) throw new AlexNetException($"'{source}' is {width}×{height}, over the decoder's limit of {maxPixels} pixels.");
        position++; // the single whitespace after maxval
        var stored = magic == "P5" ? 1 : 3;
        var needed = width * height * stored;
        if (encoded.Length - position < needed) throw new AlexNetException($"'{source}' is truncated: {encoded.Length - position} of {needed} pixel bytes.");
        var data = encoded.AsSpan(position, needed);
        var pixels = new byte[width * height * channels];
        for (var p = 0; p < width * height; p++)
        {
            if (stored == channels) data.Slice(p * stored, stored).CopyTo(pixels.AsSpan(p * channels));
            else if (channels == 3) pixels[3 * p] = pixels[3 * p + 1] = pixels[3 * p + 2] = data[p];
            else pixels[p] = (byte)((data[3 * p] * 299 + data[3 * p + 1] * 587 + data[3 * p + 2] * 114) / 1000);
        }
        return new Image(width, height, channels, pixels);
    }

    /// <summary>A binary PGM/PPM file with every byte set to <paramref name="value"/>.</summary>
    public static byte[] Encode(int width, int height, int channels, byte value)
    {
        var header = Encoding.ASCII.GetBytes($"{(channels == 1 ? "P5" : "P6")}\n{width} {height}\n255\n");
        var bytes = new byte[header.Length + width * height * channels];
        header.CopyTo(bytes, 0);
        bytes.AsSpan(header.Length).Fill(value);
        return bytes;
    }
}
