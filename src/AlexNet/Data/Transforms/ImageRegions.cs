using AlexNet.Data.Images;

namespace AlexNet.Data.Transforms;

/// <summary>Pixel copies shared by the crop and flip transforms.</summary>
internal static class ImageRegions
{
    /// <summary>Copies the <paramref name="width"/>×<paramref name="height"/> region whose top-left pixel is (left, top).</summary>
    public static Image Crop(Image image, int left, int top, int width, int height)
    {
        if (left < 0 || top < 0 || width <= 0 || height <= 0 || left + width > image.Width || top + height > image.Height)
        {
            throw new ArgumentOutOfRangeException(nameof(left),
                $"Crop {width}×{height} at ({left}, {top}) does not lie inside {image}.");
        }
        var channels = image.Channels;
        var rowBytes = width * channels;
        var pixels = new byte[height * rowBytes];
        for (var y = 0; y < height; y++)
        {
            image.Pixels.AsSpan((top + y) * image.Stride + left * channels, rowBytes).CopyTo(pixels.AsSpan(y * rowBytes, rowBytes));
        }
        return new Image(width, height, channels, pixels);
    }

    /// <summary>The mirror image (left and right swapped).</summary>
    public static Image FlipHorizontal(Image image)
    {
        var channels = image.Channels;
        var pixels = new byte[image.Pixels.Length];
        for (var y = 0; y < image.Height; y++)
        {
            var row = y * image.Stride;
            for (var x = 0; x < image.Width; x++)
            {
                var from = row + x * channels;
                var to = row + (image.Width - 1 - x) * channels;
                for (var c = 0; c < channels; c++) pixels[to + c] = image.Pixels[from + c];
            }
        }
        return new Image(image.Width, image.Height, image.Channels, pixels);
    }

    /// <summary>
    /// Offset of a centred crop: round((total − crop) / 2) with ties to even, as torchvision's
    /// <c>center_crop</c> computes it with Python's <c>round</c>.
    /// </summary>
    public static int CenterOffset(int total, int crop) => (int)Math.Round((total - crop) / 2.0, MidpointRounding.ToEven);

    /// <summary>Throws the user-facing error when a crop is larger than the image.</summary>
    public static void RequireFits(Image image, int width, int height, string transform)
    {
        if (width > image.Width || height > image.Height)
        {
            throw new AlexNetException(
                $"{transform} needs an image of at least {width}×{height} pixels, got {image.Width}×{image.Height}; resize first.");
        }
    }
}
