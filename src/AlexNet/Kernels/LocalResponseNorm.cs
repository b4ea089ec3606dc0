using System.Numerics;
using System.Runtime.CompilerServices;

namespace AlexNet.Kernels;

/// <summary>
/// Vectorized LRN (formula and window in <see cref="LrnGeometry"/>), matching PyTorch's LocalResponseNorm.
/// One pass over memory each way: a task takes one sample and a strip of its plane, and walks down the
/// channels with a SIMD vector of plane positions, keeping the squares (or, backward, the ratios t) of the
/// current window in a small ring, so every input is read once and every output written once. Backward, with
/// t[j] = dy[j] · y[j] / scale[j]:
///   dx[c] = dy[c] · scale[c]^(−beta) − (2 · alpha · beta / size) · x[c] · Σ_{j : c in window(j)} t[j]
/// where c is in j's window exactly when j runs from c − ⌊(size−1)/2⌋ to c + ⌊size/2⌋. Window sums run in
/// increasing channel order; with beta = 0.75 (every AlexNet) scale^(−3/4) is 1 / (√s · √√s), else Pow.
/// </summary>
public static unsafe class LocalResponseNorm
{
    /// <summary>Plane positions per task: a few SIMD vectors, so that even a batch of one keeps all cores busy.</summary>
    private const int Strip = 256;

    /// <summary>Writes y and the per-element scale (kept for backward).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> scale, LrnGeometry g)
    {
        g.Validate();
        CheckLength(g, x.Length, y.Length, scale.Length);
        fixed (float* px = x, py = y, pScale = scale)
        {
            var (ax, ay, aScale) = ((nint)px, (nint)py, (nint)pScale);
            var strips = (g.Plane + Strip - 1) / Strip;
            Parallel.For(0, g.N * strips, task =>
            {
                var (n, first) = (task / strips, task % strips * Strip);
                var offset = (long)n * g.C * g.Plane + first;
                ForwardStrip((float*)ax + offset, (float*)ay + offset, (float*)aScale + offset, Math.Min(Strip, g.Plane - first), g);
            });
        }
    }

    /// <summary>dx (overwritten) from x, y, the forward scale and dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> dy, Span<float> dx, LrnGeometry g)
    {
        g.Validate();
        CheckLength(g, x.Length, y.Length, scale.Length, dy.Length, dx.Length);
        fixed (float* px = x, py = y, pScale = scale, pdy = dy, pdx = dx)
        {
            var (ax, ay, aScale, ady, adx) = ((nint)px, (nint)py, (nint)pScale, (nint)pdy, (nint)pdx);
            var strips = (g.Plane + Strip - 1) / Strip;
            Parallel.For(0, g.N * strips, task =>
            {
                var (n, first) = (task / strips, task % strips * Strip);
                var offset = (long)n * g.C * g.Plane + first;
                BackwardStrip((float*)ax + offset, (float*)ay + offset, (float*)aScale + offset, (float*)ady + offset, (float*)adx + offset,
                    Math.Min(Strip, g.Plane - first), g);
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardStrip(float* x, float* y, float* scale, int width, LrnGeometry g)
    {
        var (plane, channels, size) = (g.Plane, g.C, g.Size);
        var (alphaOverSize, k, beta) = (g.Alpha / g.Size, g.K, g.Beta);
        var lanes = Vector<float>.Count;
        var squares = stackalloc float[size * lanes];
        var i = 0;
        for (; i <= width - lanes; i += lanes)
        {
            // squares holds x[j]² of the window's channels at ring position j mod size.
            for (var j = 0; j < Math.Min(g.After, channels); j++)
            {
                var v = Vector.Load(x + (long)j * plane + i);
                Vector.Store(v * v, squares + j % size * lanes);
            }
            for (var c = 0; c < channels; c++)
            {
                var entering = c + g.After;
                if (entering < channels)
                {
                    var v = Vector.Load(x + (long)entering * plane + i);
                    Vector.Store(v * v, squares + entering % size * lanes);
                }
                var sum = Vector<float>.Zero;
                for (var j = Math.Max(0, c - g.Before); j <= Math.Min(channels - 1, entering); j++) sum += Vector.Load(squares + j % size * lanes);
                var s = sum * alphaOverSize + new Vector<float>(k);
                var at = (long)c * plane + i;
                Vector.Store(s, scale + at);
                if (beta == 0.75f)
                {
                    var root = Vector.SquareRoot(s);
                    Vector.Store(Vector.Load(x + at) * (Vector<float>.One / (root * Vector.SquareRoot(root))), y + at);
                }
            }
        }
        for (; i < width; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                var sum = 0f;
                for (var j = Math.Max(0, c - g.Before); j <= Math.Min(channels - 1, c + g.After); j++) sum += x[(long)j * plane + i] * x[(long)j * plane + i];
                var at = (long)c * plane + i;
                scale[at] = sum * alphaOverSize + k;
                if (beta == 0.75f) y[at] = x[at] * (1f / (MathF.Sqrt(scale[at]) * MathF.Sqrt(MathF.Sqrt(scale[at]))));
            }
        }
        if (beta != 0.75f)
        {
            for (var c = 0; c < channels; c++)
            {
                var at = (long)c * plane;
                for (var e = 0; e < width; e++) y[at + e] = x[at + e] * MathF.Pow(scale[at + e], -beta);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardStrip(float* x, float* y, float* scale, float* dy, float* dx, int width, LrnGeometry g)
    {
        var (plane, channels, size, beta) = (g.Plane, g.C, g.Size, g.Beta);
        var factor = -2f * g.Alpha * g.Beta / g.Size;
        var lanes = Vector<float>.Count;
        var ratios = stackalloc float[size * lanes];
        var i = 0;
        for (; i <= width - lanes; i += lanes)
        {
            // ratios holds t[j] = dy·y/scale of the window's channels at ring position j mod size.
            for (var j = 0; j < Math.Min(g.Before, channels); j++)
            {
                var at = (long)j * plane + i;
                Vector.Store(Vector.Load(dy + at) * Vector.Load(y + at) / Vector.Load(scale + at), ratios + j % size * lanes);
            }
            for (var c = 0; c < channels; c++)
            {
                var entering = c + g.Before;
                if (entering < channels)
                {
                    var e = (long)entering * plane + i;
                    Vector.Store(Vector.Load(dy + e) * Vector.Load(y + e) / Vector.Load(scale + e), ratios + entering % size * lanes);
                }
                var sum = Vector<float>.Zero;
                for (var j = Math.Max(0, c - g.After); j <= Math.Min(channels - 1, entering); j++) sum += Vector.Load(ratios + j % size * lanes);
                var at = (long)c * plane + i;
                var s = Vector.Load(scale + at);
                Vector<float> power;
                if (beta == 0.75f)
                {
                    var root = Vector.SquareRoot(s);
                    power = Vector<float>.One / (root * Vector.SquareRoot(root));
                }
                else
                {
                    power = PowLanes(s, -beta);
                }
                Vector.Store(sum * Vector.Load(x + at) * factor + power * Vector.Load(dy + at), dx + at);
            }
        }
        for (; i < width; i++)
        {
            for (var c = 0; c < channels; c++)
            {
                var sum = 0f;
                for (var j = Math.Max(0, c - g.After); j <= Math.Min(channels - 1, c + g.Before); j++)
                {
                    var e = (long)j * plane + i;
                    sum += dy[e] * y[e] / scale[e];
                }
                var at = (long)c * plane + i;
                var power = beta == 0.75f ? 1f / (MathF.Sqrt(scale[at]) * MathF.Sqrt(MathF.Sqrt(scale[at]))) : MathF.Pow(scale[at], -beta);
                dx[at] = sum * x[at] * factor + power * dy[at];
            }
        }
    }

    private static Vector<float> PowLanes(Vector<float> s, float exponent)
    {
        Span<float> lanes = stackalloc float[Vector<float>.Count];
        s.CopyTo(lanes);
        for (var l = 0; l < lanes.Length; l++) lanes[l] = MathF.Pow(lanes[l], exponent);
        return new Vector<float>(lanes);
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
