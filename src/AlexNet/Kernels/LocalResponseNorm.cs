using System.Numerics;
using System.Runtime.CompilerServices;

namespace AlexNet.Kernels;

/// <summary>
/// Vectorized LRN (formula and window in <see cref="LrnGeometry"/>), matching PyTorch's LocalResponseNorm.
/// A task takes one sample and a strip of its plane, and walks down the channels with a SIMD vector of plane
/// positions, keeping the current window's squares in a small ring (a power of two long, so that a slot is a mask, not a
/// division), so every input is read once and every output
/// written once. LRN is memory bound (a handful of flops per element), so nothing but y is stored: backward
/// recomputes the scales from x in the same order (bitwise the forward's values) instead of reading them back.
/// Backward, with t[j] = dy[j] · y[j] / scale[j] (computed as a product with 1 / scale, which with beta = 0.75
/// also gives scale^(−3/4) = √(1/s) · √√(1/s), so one division per element):
///   dx[c] = dy[c] · scale[c]^(−beta) − (2 · alpha · beta / size) · x[c] · Σ_{j : c in window(j)} t[j]
/// where c is in j's window exactly when j runs from c − ⌊(size−1)/2⌋ to c + ⌊size/2⌋. Window sums run in
/// increasing channel order; beta other than 0.75 (every AlexNet) goes through Pow.
/// </summary>
public static unsafe class LocalResponseNorm
{
    /// <summary>
/// Plane positions per task: a few SIMD vectors, so that even a batch of one keeps all cores busy. The last strip
/// of a plane takes the remainder (up to twice this), so no strip is narrower than a vector unless its plane is.
/// </summary>
    private const int Strip = 256;

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, LrnGeometry g)
    {
        g.Validate();
        CheckLength(g, x.Length, y.Length);
        fixed (float* px = x, py = y)
        {
            var (ax, ay) = ((nint)px, (nint)py);
            var strips = Math.Max(1, g.Plane / Strip); // the last strip takes the remainder
            Parallel.For(0, g.N * strips, task =>
            {
                var (n, first) = (task / strips, task % strips * Strip);
                var offset = (long)n * g.C * g.Plane + first;
                ForwardStrip((float*)ax + offset, (float*)ay + offset, task % strips == strips - 1 ? g.Plane - first : Strip, g);
            });
        }
    }

    /// <summary>dx (overwritten) from x and dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, LrnGeometry g)
    {
        g.Validate();
        CheckLength(g, x.Length, dy.Length, dx.Length);
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            var (ax, ady, adx) = ((nint)px, (nint)pdy, (nint)pdx);
            var strips = Math.Max(1, g.Plane / Strip); // the last strip takes the remainder
            Parallel.For(0, g.N * strips, task =>
            {
                var (n, first) = (task / strips, task % strips * Strip);
                var offset = (long)n * g.C * g.Plane + first;
                BackwardStrip((float*)ax + offset, (float*)ady + offset, (float*)adx + offset, task % strips == strips - 1 ? g.Plane - first : Strip, g);
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardStrip(float* x, float* y, int width, LrnGeometry g)
    {
        var (plane, channels, size, before, after) = (g.Plane, g.C, g.Size, g.Before, g.After);
        var (alphaOverSize, k, beta) = (g.Alpha / g.Size, g.K, g.Beta);
        var lanes = Vector<float>.Count;
        var mask = (int)BitOperations.RoundUpToPowerOf2((uint)size) - 1;
        var squares = stackalloc float[(mask + 1) * lanes];
        // The last vector overlaps the one before (recomputing identical values) instead of leaving a scalar tail.
        for (var i = 0; width >= lanes; i += lanes)
        {
            i = Math.Min(i, width - lanes);
            // squares holds x[j]² of the window's channels at ring slot j & mask.
            for (var j = 0; j < Math.Min(after, channels); j++)
            {
                var v = Vector.Load(x + (long)j * plane + i);
                Vector.Store(v * v, squares + (j & mask) * lanes);
            }
            for (var c = 0; c < channels; c++)
            {
                var entering = c + after;
                if (entering < channels)
                {
                    var v = Vector.Load(x + (long)entering * plane + i);
                    Vector.Store(v * v, squares + (entering & mask) * lanes);
                }
                var s = WindowSum(squares, mask, lanes, Math.Max(0, c - before), Math.Min(channels - 1, entering)) * alphaOverSize + new Vector<float>(k);
                var at = (long)c * plane + i;
                Vector.Store(Vector.Load(x + at) * Power(s, beta, out _), y + at);
            }
            if (i == width - lanes) return;
        }
        // A strip narrower than one vector (planes of fewer positions than lanes).
        for (var i = 0; i < width; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                var at = (long)c * plane + i;
                y[at] = x[at] * Power(ScaleAt(x + i, plane, channels, c, g), beta, out _);
            }
        }
    }

    /// <summary>
    /// One strip, three steps behind each other down the channels: at step e, x[e]² enters the squares ring;
    /// channel j = e − after, whose window is then complete, gets its scale, power and ratio t (rings); and channel
    /// c = j − before, whose ratios are then all known, gets its gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardStrip(float* x, float* dy, float* dx, int width, LrnGeometry g)
    {
        var (plane, channels, size, before, after, beta) = (g.Plane, g.C, g.Size, g.Before, g.After, g.Beta);
        var (alphaOverSize, k) = (g.Alpha / g.Size, g.K);
        var factor = -2f * g.Alpha * g.Beta / g.Size;
        var lanes = Vector<float>.Count;
        var mask = (int)BitOperations.RoundUpToPowerOf2((uint)size) - 1;
        var squares = stackalloc float[(mask + 1) * lanes];
        var ratios = stackalloc float[(mask + 1) * lanes];
        var powers = stackalloc float[(mask + 1) * lanes];
        for (var i = 0; width >= lanes; i += lanes)
        {
            i = Math.Min(i, width - lanes);
            for (var e = 0; e < channels + after + before; e++)
            {
                if (e < channels)
                {
                    var v = Vector.Load(x + (long)e * plane + i);
                    Vector.Store(v * v, squares + (e & mask) * lanes);
                }
                var j = e - after;
                if (j >= 0 && j < channels)
                {
                    var s = WindowSum(squares, mask, lanes, Math.Max(0, j - before), Math.Min(channels - 1, e)) * alphaOverSize + new Vector<float>(k);
                    var power = Power(s, beta, out var inverse);
                    var at = (long)j * plane + i;
                    var y = Vector.Load(x + at) * power;
                    Vector.Store(power, powers + (j & mask) * lanes);
                    Vector.Store(Vector.Load(dy + at) * y * inverse, ratios + (j & mask) * lanes);
                }
                var c = j - before;
                if (c >= 0)
                {
                    var sum = WindowSum(ratios, mask, lanes, Math.Max(0, c - after), Math.Min(channels - 1, c + before));
                    var at = (long)c * plane + i;
                    Vector.Store(sum * Vector.Load(x + at) * factor + Vector.Load(powers + (c & mask) * lanes) * Vector.Load(dy + at), dx + at);
                }
            }
            if (i == width - lanes) return;
        }
        // A strip narrower than one vector (planes of fewer positions than lanes).
        for (var i = 0; i < width; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                var sum = 0f;
                for (var j = Math.Max(0, c - after); j <= Math.Min(channels - 1, c + before); j++)
                {
                    var s = ScaleAt(x + i, plane, channels, j, g);
                    var e = (long)j * plane + i;
                    sum += dy[e] * (x[e] * Power(s, beta, out var inverse)) * inverse;
                }
                var at = (long)c * plane + i;
                dx[at] = sum * x[at] * factor + Power(ScaleAt(x + i, plane, channels, c, g), beta, out _) * dy[at];
            }
        }
    }

    /// <summary>Σ ring[j &amp; mask] for j = first … last, in increasing j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> WindowSum(float* ring, int mask, int lanes, int first, int last)
    {
        var sum = Vector<float>.Zero;
        for (var j = first; j <= last; j++) sum += Vector.Load(ring + (j & mask) * lanes);
        return sum;
    }

    /// <summary>scale of channel c at one position (column stride plane), summed in the vector path's order.</summary>
    private static float ScaleAt(float* x, int plane, int channels, int c, LrnGeometry g)
    {
        var sum = 0f;
        for (var j = Math.Max(0, c - g.Before); j <= Math.Min(channels - 1, c + g.After); j++) sum += x[(long)j * plane] * x[(long)j * plane];
        return sum * (g.Alpha / g.Size) + g.K;
    }

    /// <summary>scale^(−beta), and 1 / scale for the backward ratios: one division serves both when beta = 0.75.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Power(Vector<float> s, float beta, out Vector<float> inverse)
    {
        inverse = Vector<float>.One / s;
        if (beta == 0.75f)
        {
            var root = Vector.SquareRoot(inverse);
            return root * Vector.SquareRoot(root);
        }
        return PowLanes(s, -beta);
    }

    // Not inlined: its stackalloc must not sit inside the callers' channel loops.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<float> PowLanes(Vector<float> s, float exponent)
    {
        Span<float> lanes = stackalloc float[Vector<float>.Count];
        s.CopyTo(lanes);
        for (var l = 0; l < lanes.Length; l++) lanes[l] = MathF.Pow(lanes[l], exponent);
        return new Vector<float>(lanes);
    }

    private static float Power(float s, float beta, out float inverse)
    {
        inverse = 1f / s;
        return beta == 0.75f ? MathF.Sqrt(inverse) * MathF.Sqrt(MathF.Sqrt(inverse)) : MathF.Pow(s, -beta);
    }

    private static void CheckLength(LrnGeometry g, params ReadOnlySpan<int> lengths)
    {
        var expected = (long)g.N * g.C * g.Plane;
        foreach (var length in lengths)
        {
            if (length != expected) throw new ArgumentException($"LRN {g} needs {expected} floats per array, got {length}.");
        }
    }
}
