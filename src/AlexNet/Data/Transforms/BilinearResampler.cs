using AlexNet.Data.Images;

namespace AlexNet.Data.Transforms;

/// <summary>
/// Antialiased bilinear resizing of 8-bit images, bit-exact with Pillow 9.4's
/// <c>Image.resize(size, Image.BILINEAR)</c> (libImaging/Resample.c): two separable passes, horizontal
/// first into an 8-bit intermediate (rounded and clipped), then vertical. Only the rows the vertical pass
/// reads are resampled horizontally. A pass whose size does not change is skipped (Pillow does the same;
/// at scale 1 the pass would be the identity anyway). Every channel uses the same weights.
/// </summary>
internal static class BilinearResampler
{
    public static Image Resize(Image image, int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new AlexNetException($"Cannot resize {image} to {width}×{height}: sizes must be positive.");
        }
        if (width == image.Width && height == image.Height)
        {
            return new Image(width, height, image.Channels, (byte[])image.Pixels.Clone());
        }
        var source = image;
        var vertical = ResampleWeights.Bilinear(image.Height, height);
        var rowOffset = 0;
        if (width != image.Width)
        {
            // Resample only the input rows [firstRow, lastRow) that the vertical pass will read.
            var firstRow = vertical.First[0];
            var lastRow = vertical.First[height - 1] + vertical.Count[height - 1];
            if (height == image.Height) (firstRow, lastRow) = (0, image.Height);
            source = Horizontal(image, width, firstRow, lastRow);
            rowOffset = firstRow;
        }
        return height == image.Height ? source : Vertical(source, vertical, rowOffset);
    }

    private static Image Horizontal(Image image, int width, int firstRow, int lastRow)
    {
        var weights = ResampleWeights.Bilinear(image.Width, width);
        var channels = image.Channels;
        var rows = lastRow - firstRow;
        var output = new byte[width * rows * channels];
        var input = image.Pixels;
        var taps = weights.Taps;
        for (var y = 0; y < rows; y++)
        {
            var inRow = (y + firstRow) * image.Stride;
            var outRow = y * width * channels;
            for (var x = 0; x < width; x++)
            {
                var start = inRow + weights.First[x] * channels;
                var n = weights.Count[x];
                var k = x * taps;
                for (var c = 0; c < channels; c++)
                {
                    var sum = 1 << (ResampleWeights.PrecisionBits - 1);
                    for (var i = 0; i < n; i++) sum += input[start + i * channels + c] * weights.Weights[k + i];
                    output[outRow + x * channels + c] = ResampleWeights.Clip8(sum);
                }
            }
        }
        return new Image(width, rows, channels, output);
    }

    /// <summary>Vertical pass; <paramref name="rowOffset"/> is the input row that row 0 of the source holds.</summary>
    private static Image Vertical(Image source, ResampleWeights weights, int rowOffset)
    {
        var height = weights.First.Length;
        var stride = source.Stride;
        var output = new byte[height * stride];
        var input = source.Pixels;
        var taps = weights.Taps;
        var sums = new int[stride];
        for (var y = 0; y < height; y++)
        {
            Array.Fill(sums, 1 << (ResampleWeights.PrecisionBits - 1));
            var first = weights.First[y] - rowOffset;
            var n = weights.Count[y];
            for (var i = 0; i < n; i++)
            {
                var w = weights.Weights[y * taps + i];
                var inRow = (first + i) * stride;
                for (var j = 0; j < stride; j++) sums[j] += input[inRow + j] * w;
            }
            var outRow = y * stride;
            for (var j = 0; j < stride; j++) output[outRow + j] = ResampleWeights.Clip8(sums[j]);
        }
        return new Image(source.Width, height, source.Channels, output);
    }
}
