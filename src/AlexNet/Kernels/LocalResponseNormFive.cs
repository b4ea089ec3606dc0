using System.Runtime.CompilerServices;

namespace AlexNet.Kernels;

/// <summary>
/// <see cref="LocalResponseNorm"/>'s strips for a window of 5 channels (every AlexNet's), with the window held in
/// registers that rotate down the channels instead of a ring in memory walked by a loop: the general strips spend
/// most of their time on the ring's address arithmetic and spills, not on the arithmetic (measured on AVX2). The sums
/// are the general strips' own: channels outside 0..C−1 enter as zeros, and adding a zero is exact, so the fixed
/// five-term sums in increasing channel order equal the general variable-length ones bit for bit.
/// </summary>
internal static unsafe class LocalResponseNormFive
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ForwardStrip<TLanes>(float* x, float* y, int width, LrnGeometry g) where TLanes : struct, ILrnLanes<TLanes>
    {
        var (plane, channels, beta) = (g.Plane, g.C, g.Beta);
        var (alphaOverSize, k, zero) = (TLanes.Broadcast(g.Alpha / g.Size), TLanes.Broadcast(g.K), TLanes.Broadcast(0f));
        for (var i = 0; ; i += TLanes.Count)
        {
            // The last vector overlaps the one before (recomputing identical values) instead of leaving a scalar tail.
            i = Math.Min(i, width - TLanes.Count);
            var column = x + i;
            // Squares of channels c − 2 … c + 2.
            TLanes s0 = zero, s1 = zero, s2 = Square(column, 0, channels, plane, zero), s3 = Square(column, 1, channels, plane, zero);
            var s4 = Square(column, 2, channels, plane, zero);
            for (var c = 0; c < channels; c++)
            {
                var scale = (s0 + s1 + s2 + s3 + s4) * alphaOverSize + k;
                var at = (long)c * plane;
                Ahead(column + at, width - i);
                TLanes.Store(TLanes.Load(column + at) * LocalResponseNorm.Power(scale, beta, out _), y + i + at);
                (s0, s1, s2, s3, s4) = (s1, s2, s3, s4, Square(column, c + 3, channels, plane, zero));
            }
            if (i == width - TLanes.Count) return;
        }
    }

    /// <summary>
    /// Backward, two channels behind the scales: at channel j the scale, power and ratio t[j] = dy[j]·y[j]/scale[j]
    /// are computed, and channel c = j − 2, whose window's ratios (j − 4 … j) are then all known, gets its gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BackwardStrip<TLanes>(float* x, float* dy, float* dx, int width, LrnGeometry g) where TLanes : struct, ILrnLanes<TLanes>
    {
        var (plane, channels, beta) = (g.Plane, g.C, g.Beta);
        var (alphaOverSize, k, factor, zero) = (TLanes.Broadcast(g.Alpha / g.Size), TLanes.Broadcast(g.K), TLanes.Broadcast(-2f * g.Alpha * g.Beta / g.Size),
            TLanes.Broadcast(0f));
        for (var i = 0; ; i += TLanes.Count)
        {
            i = Math.Min(i, width - TLanes.Count);
            float* column = x + i, gradient = dy + i;
            TLanes s0 = zero, s1 = zero, s2 = Square(column, 0, channels, plane, zero), s3 = Square(column, 1, channels, plane, zero);
            var s4 = Square(column, 2, channels, plane, zero);
            // Ratios of channels j − 4 … j − 1, powers of j − 2 and j − 1.
            TLanes r0 = zero, r1 = zero, r2 = zero, r3 = zero, p0 = zero, p1 = zero;
            for (var j = 0; j < channels + 2; j++)
            {
                TLanes r4 = zero, power = zero;
                if (j < channels)
                {
                    var scale = (s0 + s1 + s2 + s3 + s4) * alphaOverSize + k;
                    power = LocalResponseNorm.Power(scale, beta, out var inverse);
                    var at = (long)j * plane;
                    Ahead(column + at, width - i);
                    Ahead(gradient + at, width - i);
                    var output = TLanes.Load(column + at) * power;
                    r4 = TLanes.Load(gradient + at) * output * inverse;
                    (s0, s1, s2, s3, s4) = (s1, s2, s3, s4, Square(column, j + 3, channels, plane, zero));
                }
                if (j >= 2)
                {
                    var at = (long)(j - 2) * plane;
                    var sum = r0 + r1 + r2 + r3 + r4;
                    TLanes.Store(sum * TLanes.Load(column + at) * factor + p0 * TLanes.Load(gradient + at), dx + i + at);
                }
                (r0, r1, r2, r3, p0, p1) = (r1, r2, r3, r4, p1, power);
            }
            if (i == width - TLanes.Count) return;
        }
    }

    /// <summary>
    /// Asks for the line <see cref="Distance"/> floats ahead in a channel's row: a strip walks C rows a plane apart at
    /// once, more streams than the hardware prefetchers follow, so without it most lines arrive on demand from memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Ahead(float* row, int remaining)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported && remaining > Distance) System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + Distance);
    }

    private const int Distance = 32; // two lines ahead: measured best of 32, 64 and 128 on Zen 3 (AlexNet's norm1 backward 85 -> 47 ms)

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLanes Square<TLanes>(float* column, int channel, int channels, int plane, TLanes zero) where TLanes : struct, ILrnLanes<TLanes>
    {
        if (channel >= channels) return zero;
        var v = TLanes.Load(column + (long)channel * plane);
        return v * v;
    }
}
