using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    private static unsafe Image Horizontal(Image image, int width, int firstRow, int lastRow)
    {
        var weights = ResampleWeights.Bilinear(image.Width, width);
        var channels = image.Channels;
        var rows = lastRow - firstRow;
        var output = new byte[width * rows * channels];
        var taps = weights.Taps;
        const int half = 1 << (ResampleWeights.PrecisionBits - 1);
        // Pointer loops with the channel count fixed per branch: this pass dominates the loader's cost.
        fixed (byte* input = image.Pixels, result = output)
        fixed (int* first = weights.First, count = weights.Count, coefficients = weights.Weights)
        {
            for (var y = 0; y < rows; y++)
            {
                var inRow = input + (long)(y + firstRow) * image.Stride;
                var outPixel = result + (long)y * width * channels;
                for (var x = 0; x < width; x++, outPixel += channels)
                {
                    var source = inRow + first[x] * channels;
                    var n = count[x];
                    var w = coefficients + x * taps;
                    if (channels == 3)
                    {
                        int r = half, g = half, b = half;
                        for (var i = 0; i < n; i++, source += 3)
                        {
                            var k = w[i];
                            r += source[0] * k;
                            g += source[1] * k;
                            b += source[2] * k;
                        }
                        outPixel[0] = ResampleWeights.Clip8(r);
                        outPixel[1] = ResampleWeights.Clip8(g);
                        outPixel[2] = ResampleWeights.Clip8(b);
                    }
                    else
                    {
                        var sum = half;
                        for (var i = 0; i < n; i++) sum += source[i] * w[i];
                        outPixel[0] = ResampleWeights.Clip8(sum);
                    }
                }
            }
        }
        return new Image(width, rows, channels, output);
    }

    /// <summary>Vertical pass; <paramref name="rowOffset"/> is the input row that row 0 of the source holds.</summary>
    private static unsafe Image Vertical(Image source, ResampleWeights weights, int rowOffset)
    {
        var height = weights.First.Length;
        var stride = source.Stride;
        var output = new byte[height * stride];
        var taps = weights.Taps;
        const int half = 1 << (ResampleWeights.PrecisionBits - 1);
        fixed (byte* input = source.Pixels, result = output)
        fixed (int* coefficients = weights.Weights)
        {
            for (var y = 0; y < height; y++)
            {
                var first = weights.First[y] - rowOffset;
                var n = weights.Count[y];
                var outRow = result + (long)y * stride;
                var j = 0;
                if (Avx2.IsSupported)
                {
                    // Eight columns at a time: the same integer sums as the scalar loop, so still bit-exact.
                    for (; j + 8 <= stride; j += 8)
                    {
                        var sum = Vector256.Create(half);
                        for (var i = 0; i < n; i++)
                        {
                            var pixels = Avx2.ConvertToVector256Int32(input + (long)(first + i) * stride + j);
                            sum = Avx2.Add(sum, Avx2.MultiplyLow(pixels, Vector256.Create(coefficients[y * taps + i])));
                        }
                        var clipped = Avx2.Min(Avx2.Max(Avx2.ShiftRightArithmetic(sum, ResampleWeights.PrecisionBits), Vector256<int>.Zero), Vector256.Create(255));
                        for (var lane = 0; lane < 8; lane++) outRow[j + lane] = (byte)clipped.GetElement(lane);
                    }
                }
                for (; j < stride; j++)
                {
                    var sum = half;
                    for (var i = 0; i < n; i++) sum += input[(long)(first + i) * stride + j] * coefficients[y * taps + i];
                    outRow[j] = ResampleWeights.Clip8(sum);
                }
            }
        }
        return new Image(source.Width, height, source.Channels, output);
    }
}
