using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Kernels;

/// <summary>
/// Vectorized LRN (formula and window in <see cref="LrnGeometry"/>), matching PyTorch's LocalResponseNorm.
/// A task takes one sample and a strip of its plane, and walks down the channels with a SIMD vector of plane
/// positions (16, 8 or 4 lanes: <see cref="ILrnLanes{TLanes}"/>), keeping the current window's squares in a small
/// ring (a power of two long, so that a slot is a mask, not a division), so every input is read once and every
/// output written once. LRN is memory bound (a handful of flops per element), so nothing but y is stored: backward
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

    /// <summary>The widest vectors this machine accelerates.</summary>
    internal static int BestLanes => Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, LrnGeometry g) => Forward(x, y, g, BestLanes);

    /// <summary>
    /// dx (overwritten) from x and dy. With <paramref name="maskByPositiveInput"/>, dx is also zeroed where x is not
    /// positive: the backward pass of a ReLU whose output x is, done on each strip while it is still in cache instead of
    /// in a pass of its own over memory (same bits as <see cref="Relu.Backward"/> after the unmasked dx).
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, LrnGeometry g, bool maskByPositiveInput = false) =>
        Backward(x, dy, dx, g, BestLanes, maskByPositiveInput: maskByPositiveInput);

    /// <summary>
    /// Windows of 5 channels run <see cref="LocalResponseNormFive"/>'s channel-row strips (same bits) with 8- and 4-lane
    /// vectors, where they were measured; a strip narrower than one vector keeps the general scalar path.
    /// </summary>
    private static bool UsesFiveChannelStrips(LrnGeometry g) => g.Size == 5 && g.Plane >= Vector256<float>.Count;

    /// <summary>Forward with vectors of the given number of lanes (16, 8 or 4; lets tests cover the narrower paths).</summary>
    internal static void Forward(ReadOnlySpan<float> x, Span<float> y, LrnGeometry g, int lanes, bool fiveChannelStrips = true)
    {
        g.Validate();
        CheckLength(g, x.Length, y.Length);
        CheckLanes(lanes);
        fixed (float* px = x, py = y)
        {
            var (ax, ay, plane, channels) = ((nint)px, (nint)py, g.Plane, g.C);
            var strips = Math.Max(1, plane / Strip); // the last strip takes the remainder
            var fiveChannels = fiveChannelStrips && UsesFiveChannelStrips(g);
            Parallel.For(0, g.N * strips, task =>
            {
                var (n, first) = (task / strips, task % strips * Strip);
                var offset = (long)n * channels * plane + first;
                var width = task % strips == strips - 1 ? plane - first : Strip;
                float* input = (float*)ax + offset, output = (float*)ay + offset;
                switch (lanes)
                {
                    case 16: ForwardStrip<Lanes512>(input, output, width, g); break;
                    case 8 when fiveChannels: LocalResponseNormFive.ForwardStrip<Lanes256>(input, output, width, g); break;
                    case 8: ForwardStrip<Lanes256>(input, output, width, g); break;
                    case 4 when fiveChannels: LocalResponseNormFive.ForwardStrip<Lanes128>(input, output, width, g); break;
                    default: ForwardStrip<Lanes128>(input, output, width, g); break;
                }
            });
        }
    }

    /// <summary>Backward with vectors of the given number of lanes (16, 8 or 4).</summary>
    internal static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, LrnGeometry g, int lanes, bool fiveChannelStrips = true,
        bool maskByPositiveInput = false)
    {
        g.Validate();
        CheckLength(g, x.Length, dy.Length, dx.Length);
        CheckLanes(lanes);
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            var (ax, ady, adx, plane, channels) = ((nint)px, (nint)pdy, (nint)pdx, g.Plane, g.C);
            var strips = Math.Max(1, plane / Strip); // the last strip takes the remainder
            var fiveChannels = fiveChannelStrips && UsesFiveChannelStrips(g);
            Parallel.For(0, g.N * strips, task =>
            {
                var (n, first) = (task / strips, task % strips * Strip);
                var offset = (long)n * channels * plane + first;
                var width = task % strips == strips - 1 ? plane - first : Strip;
                float* input = (float*)ax + offset, gradient = (float*)ady + offset, inputGradient = (float*)adx + offset;
                switch (lanes)
                {
                    case 16: BackwardStrip<Lanes512>(input, gradient, inputGradient, width, g); break;
                    case 8 when fiveChannels: LocalResponseNormFive.BackwardStrip<Lanes256>(input, gradient, inputGradient, width, g); break;
                    case 8: BackwardStrip<Lanes256>(input, gradient, inputGradient, width, g); break;
                    case 4 when fiveChannels: LocalResponseNormFive.BackwardStrip<Lanes128>(input, gradient, inputGradient, width, g); break;
                    default: BackwardStrip<Lanes128>(input, gradient, inputGradient, width, g); break;
                }
                if (maskByPositiveInput)
                {
                    for (var c = 0; c < channels; c++)
                    {
                        var row = (long)c * plane;
                        Relu.BackwardRange(input + row, inputGradient + row, inputGradient + row, width);
                    }
                }
            });
        }
    }

    private static void ForwardStrip<TLanes>(float* x, float* y, int width, LrnGeometry g) where TLanes : struct, ILrnLanes<TLanes>
    {
        if (g.Beta == 0.75f) ForwardStrip<TLanes, ThreeQuartersPower>(x, y, width, g);
        else ForwardStrip<TLanes, AnyBetaPower>(x, y, width, g);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardStrip<TLanes, TPower>(float* x, float* y, int width, LrnGeometry g)
        where TLanes : struct, ILrnLanes<TLanes> where TPower : struct, ILrnPower
    {
        var (plane, channels, size, before, after) = (g.Plane, g.C, g.Size, g.Before, g.After);
        var (alphaOverSize, k, beta) = (g.Alpha / g.Size, g.K, g.Beta);
        var lanes = TLanes.Count;
        var mask = (int)BitOperations.RoundUpToPowerOf2((uint)size) - 1;
        var squares = stackalloc float[(mask + 1) * lanes];
        // The last vector overlaps the one before (recomputing identical values) instead of leaving a scalar tail.
        for (var i = 0; width >= lanes; i += lanes)
        {
            i = Math.Min(i, width - lanes);
            // squares holds x[j]² of the window's channels at ring slot j & mask.
            for (var j = 0; j < Math.Min(after, channels); j++)
            {
                var v = TLanes.Load(x + (long)j * plane + i);
                TLanes.Store(v * v, squares + (j & mask) * lanes);
            }
            for (var c = 0; c < channels; c++)
            {
                var entering = c + after;
                if (entering < channels)
                {
                    var v = TLanes.Load(x + (long)entering * plane + i);
                    TLanes.Store(v * v, squares + (entering & mask) * lanes);
                }
                var s = WindowSum<TLanes>(squares, mask, Math.Max(0, c - before), Math.Min(channels - 1, entering)) * TLanes.Broadcast(alphaOverSize)
                    + TLanes.Broadcast(k);
                var at = (long)c * plane + i;
                TLanes.Store(TLanes.Load(x + at) * TPower.Of(s, beta, out _), y + at);
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
    private static void BackwardStrip<TLanes>(float* x, float* dy, float* dx, int width, LrnGeometry g) where TLanes : struct, ILrnLanes<TLanes>
    {
        if (g.Beta == 0.75f) BackwardStrip<TLanes, ThreeQuartersPower>(x, dy, dx, width, g);
        else BackwardStrip<TLanes, AnyBetaPower>(x, dy, dx, width, g);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardStrip<TLanes, TPower>(float* x, float* dy, float* dx, int width, LrnGeometry g)
        where TLanes : struct, ILrnLanes<TLanes> where TPower : struct, ILrnPower
    {
        var (plane, channels, size, before, after, beta) = (g.Plane, g.C, g.Size, g.Before, g.After, g.Beta);
        var (alphaOverSize, k) = (g.Alpha / g.Size, g.K);
        var factor = -2f * g.Alpha * g.Beta / g.Size;
        var lanes = TLanes.Count;
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
                    var v = TLanes.Load(x + (long)e * plane + i);
                    TLanes.Store(v * v, squares + (e & mask) * lanes);
                }
                var j = e - after;
                if (j >= 0 && j < channels)
                {
                    var s = WindowSum<TLanes>(squares, mask, Math.Max(0, j - before), Math.Min(channels - 1, e)) * TLanes.Broadcast(alphaOverSize)
                        + TLanes.Broadcast(k);
                    var power = TPower.Of(s, beta, out var inverse);
                    var at = (long)j * plane + i;
                    var y = TLanes.Load(x + at) * power;
                    TLanes.Store(power, powers + (j & mask) * lanes);
                    TLanes.Store(TLanes.Load(dy + at) * y * inverse, ratios + (j & mask) * lanes);
                }
                var c = j - before;
                if (c >= 0)
                {
                    var sum = WindowSum<TLanes>(ratios, mask, Math.Max(0, c - after), Math.Min(channels - 1, c + before));
                    var at = (long)c * plane + i;
                    TLanes.Store(sum * TLanes.Load(x + at) * TLanes.Broadcast(factor) + TLanes.Load(powers + (c & mask) * lanes) * TLanes.Load(dy + at),
                        dx + at);
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
    private static TLanes WindowSum<TLanes>(float* ring, int mask, int first, int last) where TLanes : struct, ILrnLanes<TLanes>
    {
        var sum = TLanes.Load(ring + (first & mask) * TLanes.Count);
        for (var j = first + 1; j <= last; j++) sum += TLanes.Load(ring + (j & mask) * TLanes.Count);
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
    internal static TLanes Power<TLanes>(TLanes s, float beta, out TLanes inverse) where TLanes : struct, ILrnLanes<TLanes> =>
        beta == 0.75f ? ThreeQuartersPower.Of(s, beta, out inverse) : AnyBetaPower.Of(s, beta, out inverse);

    // Not inlined: its stackalloc must not sit inside the callers' channel loops.
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static TLanes PowLanes<TLanes>(TLanes s, float exponent) where TLanes : struct, ILrnLanes<TLanes>
    {
        var lanes = stackalloc float[TLanes.Count];
        TLanes.Store(s, lanes);
        for (var l = 0; l < TLanes.Count; l++) lanes[l] = MathF.Pow(lanes[l], exponent);
        return TLanes.Load(lanes);
    }

    private static float Power(float s, float beta, out float inverse)
    {
        inverse = 1f / s;
        return beta == 0.75f ? MathF.Sqrt(inverse) * MathF.Sqrt(MathF.Sqrt(inverse)) : MathF.Pow(s, -beta);
    }

    private static void CheckLanes(int lanes)
    {
        if (lanes is not (16 or 8 or 4) || lanes > BestLanes) throw new PlatformNotSupportedException($"{lanes}-lane vectors are not accelerated on this machine.");
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
