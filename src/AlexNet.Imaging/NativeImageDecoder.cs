using AlexNet.Data.Images;

namespace AlexNet.Imaging;

/// <summary>
/// Decodes JPEG (libjpeg-turbo) and PNG (libpng) files to 8-bit grey or RGB, pixel-identical to PIL 9.4's
/// <c>Image.open(f).convert("RGB")</c> / <c>.convert("L")</c> (exceptions, all in 16-bit PNGs, are described on
/// <see cref="PngDecoder"/>). The format is chosen from the magic bytes, not the file name. Thread-safe.
/// </summary>
public sealed class NativeImageDecoder : IImageDecoder
{
    /// <summary>
    /// 100 million pixels (10,000 × 10,000; 300 MB as RGB). Larger than any ImageNet photo (the biggest are
    /// a few thousand pixels a side) and a little above PIL's 89.5 M decompression-bomb warning.
    /// </summary>
    public const long DefaultMaxPixels = 100_000_000;

    /// <summary>The largest limit allowed: a 4-byte-per-pixel intermediate (CMYK, RGBA) must fit in one array.</summary>
    public static readonly long MaxSupportedPixels = Array.MaxLength / 4;

    private static ReadOnlySpan<byte> JpegMagic => [0xFF, 0xD8, 0xFF];

    private static ReadOnlySpan<byte> PngMagic => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <param name="maxPixels">Images whose header claims more pixels are refused before anything is allocated.</param>
    public NativeImageDecoder(long maxPixels = DefaultMaxPixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPixels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPixels, MaxSupportedPixels);
        MaxPixels = maxPixels;
    }

    public long MaxPixels { get; }

    /// <inheritdoc />
    public Image Decode(ReadOnlySpan<byte> encoded, string source, int channels)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");

        if (encoded.StartsWith(JpegMagic)) return JpegDecoder.Decode(encoded, source, channels, MaxPixels);
        if (encoded.StartsWith(PngMagic)) return PngDecoder.Decode(encoded, source, channels, MaxPixels);
        if (encoded.IsEmpty) throw new AlexNetException($"Cannot decode '{source}': the file is empty (0 bytes).");
        string start = Convert.ToHexString(encoded[..Math.Min(8, encoded.Length)]);
        throw new AlexNetException(
            $"Cannot decode '{source}': it is not a JPEG or PNG file (it starts with bytes {start}; " +
            "JPEG starts FFD8FF, PNG 89504E470D0A1A0A).");
    }

    /// <summary>Reads and decodes the file at <paramref name="path"/>; any failure names the file.</summary>
    public Image Load(string path, int channels)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] encoded;
        try
        {
            encoded = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new AlexNetException($"Cannot read image file '{path}': {e.Message}", e);
        }
        return Decode(encoded, path, channels);
    }
}
