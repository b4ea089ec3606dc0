namespace AlexNet.Data.Transforms;

/// <summary>
/// Fixed-point weights of one axis of an antialiased bilinear resize, computed as Pillow 9.4 does
/// (libImaging/Resample.c, <c>precompute_coeffs</c> and <c>normalize_coeffs_8bpc</c>), so that resized
/// images match <c>PIL.Image.resize(size, Image.BILINEAR)</c> pixel for pixel.
/// </summary>
/// <remarks>
/// Output pixel <c>o</c> is centred at <c>(o + 0.5)·scale</c> in input coordinates, <c>scale = in/out</c>.
/// When downscaling, the triangle filter is stretched by the scale (support <c>max(scale, 1)</c>), which
/// is what antialiases. Weights are normalized to sum 1 in double precision, then rounded to integers
/// with <see cref="PrecisionBits"/> fractional bits (22, as Pillow: 8-bit values × weights fit in int32).
/// </remarks>
internal sealed class ResampleWeights
{
    /// <summary>Pillow's PRECISION_BITS = 32 − 8 − 2.</summary>
    public const int PrecisionBits = 32 - 8 - 2;

    private ResampleWeights(int taps, int[] first, int[] count, int[] weights)
    {
        (Taps, First, Count, Weights) = (taps, first, count, weights);
    }

    /// <summary>Weights per output pixel (the row length of <see cref="Weights"/>).</summary>
    public int Taps { get; }

    /// <summary>First input pixel that output pixel o reads.</summary>
    public int[] First { get; }

    /// <summary>Number of input pixels output pixel o reads.</summary>
    public int[] Count { get; }

    /// <summary>Fixed-point weights, <see cref="Taps"/> per output pixel.</summary>
    public int[] Weights { get; }

    public static ResampleWeights Bilinear(int inputSize, int outputSize)
    {
        // Pillow computes the scale from a float box (0, inputSize); exact for any realistic size.
        var scale = (double)inputSize / outputSize;
        var filterScale = Math.Max(scale, 1.0);
        const double filterSupport = 1.0; // the triangle (bilinear) filter reaches ±1 at scale 1
        var support = filterSupport * filterScale;
        var taps = (int)Math.Ceiling(support) * 2 + 1;
        var first = new int[outputSize];
        var count = new int[outputSize];
        var weights = new int[outputSize * taps];
        var row = new double[taps];
        var inverseScale = 1.0 / filterScale;
        for (var o = 0; o < outputSize; o++)
        {
            var center = (o + 0.5) * scale;
            // (int) truncates toward zero like C's cast; negative values are clamped right after.
            var min = Math.Max((int)(center - support + 0.5), 0);
            var max = Math.Min((int)(center + support + 0.5), inputSize);
            var n = max - min;
            var sum = 0.0;
            for (var i = 0; i < n; i++)
            {
                var w = Triangle((i + min - center + 0.5) * inverseScale);
                row[i] = w;
                sum += w;
            }
            for (var i = 0; i < n; i++)
            {
                var w = sum != 0.0 ? row[i] / sum : row[i];
                weights[o * taps + i] = w < 0
                    ? (int)(-0.5 + w * (1 << PrecisionBits))
                    : (int)(0.5 + w * (1 << PrecisionBits));
            }
            first[o] = min;
            count[o] = n;
        }
        return new ResampleWeights(taps, first, count, weights);
    }

    /// <summary>Rounds a fixed-point sum (which already holds the +0.5 bias) to a clipped 8-bit value.</summary>
    public static byte Clip8(int value)
    {
        if (value >= 255 << PrecisionBits) return 255;
        if (value <= 0) return 0;
        return (byte)(value >> PrecisionBits);
    }

    private static double Triangle(double x)
    {
        if (x < 0.0) x = -x;
        return x < 1.0 ? 1.0 - x : 0.0;
    }
}
