namespace AlexNet.Imaging;

/// <summary>The pixel limit, checked from the file's header before any pixel buffer is allocated.</summary>
internal static class ImageLimits
{
    /// <summary>
    /// Huffman-coded JPEG spends at least one bit on every 8×8 block (its DC code in the first scan), so a file holds at
    /// most 512 pixels per byte.
    /// </summary>
    public const long JpegPixelsPerByte = 512;

    /// <summary>
    /// A PNG's rows hold at least one bit per pixel, and deflate inflates at most 1032 bytes from one (RFC 1951's longest
    /// match in its shortest code), so a file holds at most 8 × 1032 pixels per byte.
    /// </summary>
    public const long PngPixelsPerByte = 8 * 1032;

    /// <summary>
    /// Refuses a header that claims more pixels than a file of <paramref name="fileBytes"/> can encode: a damaged
    /// header would otherwise reserve the pixel buffer of a huge image before the decoder finds the data missing.
    /// </summary>
    public static void CheckDensity(long width, long height, long fileBytes, long pixelsPerByte, string format, string source)
    {
        if (width * height <= pixelsPerByte * fileBytes) return;
        throw new AlexNetException(
            $"Cannot decode {format} '{source}': its header gives {width}×{height} = {width * height:N0} pixels, more than a {format} of " +
            $"{fileBytes:N0} bytes can hold (at most {pixelsPerByte:N0} pixels per byte); the file is corrupt or truncated.");
    }

    public static void Check(long width, long height, long maxPixels, string source)
    {
        if (width <= 0 || height <= 0)
        {
            throw new AlexNetException($"Cannot decode '{source}': its header gives no valid size ({width}×{height}); the file is corrupt or truncated.");
        }
        long pixels = width * height;
        if (pixels > maxPixels)
        {
            throw new AlexNetException(
                $"Cannot decode '{source}': the image is {width}×{height} = {pixels:N0} pixels, more than the limit of " +
                $"{maxPixels:N0} pixels (raise NativeImageDecoder's maxPixels if such images are intended).");
        }
    }
}
