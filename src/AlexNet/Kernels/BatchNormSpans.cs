using System.Numerics;
using System.Runtime.InteropServices;

namespace AlexNet.Kernels;

/// <summary>
/// The per-span loops of <see cref="BatchNormalization"/> over one channel's values (a plane of one sample): SIMD over
/// <see cref="Vector{T}"/> lanes with a scalar tail. Sums are float within a span; callers add spans in double.
/// </summary>
internal static class BatchNormSpans
{
    /// <summary>Σ (x − mean)².</summary>
    public static float SquaredDeviations(ReadOnlySpan<float> x, float mean)
    {
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(x);
        var center = new Vector<float>(mean);
        var sum = Vector<float>.Zero;
        foreach (var v in vectors)
        {
            var d = v - center;
            sum += d * d;
        }
        var total = Vector.Sum(sum);
        for (var i = vectors.Length * Vector<float>.Count; i < x.Length; i++) total += (x[i] - mean) * (x[i] - mean);
        return total;
    }

    /// <summary>Σ dy and Σ dy·(x − mean).</summary>
    public static (float SumDy, float SumDyCentered) GradientSums(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, float mean)
    {
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dys = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var center = new Vector<float>(mean);
        var (sumDy, sumDyCentered) = (Vector<float>.Zero, Vector<float>.Zero);
        for (var i = 0; i < xs.Length; i++)
        {
            sumDy += dys[i];
            sumDyCentered += dys[i] * (xs[i] - center);
        }
        var (a, b) = (Vector.Sum(sumDy), Vector.Sum(sumDyCentered));
        for (var i = xs.Length * Vector<float>.Count; i < x.Length; i++)
        {
            a += dy[i];
            b += dy[i] * (x[i] - mean);
        }
        return (a, b);
    }

    /// <summary>
    /// y = (x − mean)·scale + shift. Centring first keeps the precision of inputs whose mean is large against their
    /// spread (x·scale + (shift − mean·scale) would cancel).
    /// </summary>
    public static void Normalize(ReadOnlySpan<float> x, Span<float> y, float mean, float scale, float shift)
    {
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var ys = MemoryMarshal.Cast<float, Vector<float>>(y);
        var (center, factor, offset) = (new Vector<float>(mean), new Vector<float>(scale), new Vector<float>(shift));
        for (var i = 0; i < xs.Length; i++) ys[i] = (xs[i] - center) * factor + offset;
        for (var i = xs.Length * Vector<float>.Count; i < x.Length; i++) y[i] = (x[i] - mean) * scale + shift;
    }

    /// <summary>dx = a·dy + b·(x − mean) + d.</summary>
    public static void InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float mean, float a, float b, float d)
    {
        var xs = MemoryMarshal.Cast<float, Vector<float>>(x);
        var dys = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var dxs = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var (center, va, vb, vd) = (new Vector<float>(mean), new Vector<float>(a), new Vector<float>(b), new Vector<float>(d));
        for (var i = 0; i < xs.Length; i++) dxs[i] = va * dys[i] + vb * (xs[i] - center) + vd;
        for (var i = xs.Length * Vector<float>.Count; i < x.Length; i++) dx[i] = a * dy[i] + b * (x[i] - mean) + d;
    }
}
