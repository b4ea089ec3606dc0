namespace AlexNet.Imaging;

/// <summary>The pixel limit, checked from the file's header before any pixel buffer is allocated.</summary>
internal static class ImageLimits
{
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
