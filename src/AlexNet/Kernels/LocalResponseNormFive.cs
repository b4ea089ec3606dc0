using System.Runtime.CompilerServices;

namespace AlexNet.Kernels;

/// <summary>
/// <see cref="LocalResponseNorm"/>'s strips for a window of 5 channels (every AlexNet's). Forward, and backward on few
/// channels, walk the strip a channel row at a time: each step reads the strip's positions of one row after another,
/// so a sample's channels, which lie plane after plane, stream through in memory order. Walking down all channels at
/// each vector of positions instead (the general strips, and backward here on many channels) keeps C rows a plane
/// apart in flight at once, more streams than the hardware prefetchers follow: on two Zen 3 cores, mini's norm1 at
/// batch 128 took 2.6 ms forward and 4.4 ms backward that way against 2.0 and 3.9 by rows, and paper's norm1 at batch
/// 64 19 against 12 ms forward. Backward by rows keeps rings of ratio and power rows in memory, which costs more than
/// it saves on many channels (paper's norm2, 256 channels, at batch 64: 19 against 14 ms), so there it walks down the
/// channels with its window in registers. The sums are the general strips' own: channels outside 0..C−1 enter as zeros,
/// and adding a zero is exact, so the fixed five-term sums in increasing channel order equal the general
/// variable-length ones bit for bit.
/// </summary>
internal static unsafe class LocalResponseNormFive
{
    public static void ForwardStrip<TLanes>(float* x, float* y, int width, LrnGeometry g) where TLanes : struct, ILrnLanes<TLanes>
    {
        CheckWidth(width);
        if (g.Beta == 0.75f) ForwardByRows<TLanes, ThreeQuartersPower>(x, y, width, g);
        else ForwardByRows<TLanes, AnyBetaPower>(x, y, width, g);
    }

    /// <summary>
    /// Each row's window is five row pointers, fixed before its loop over positions (rows outside 0..C−1 read
    /// <see cref="Zeros"/>), so that loop has no branch but its end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardByRows<TLanes, TPower>(float* x, float* y, int width, LrnGeometry g)
        where TLanes : struct, ILrnLanes<TLanes> where TPower : struct, ILrnPower
    {
        var (plane, channels, beta) = (g.Plane, g.C, g.Beta);
        var (alphaOverSize, k) = (TLanes.Broadcast(g.Alpha / g.Size), TLanes.Broadcast(g.K));
        var zeros = Zeros;
        for (var c = 0; c < channels; c++)
        {
            float* below2 = RowOrZeros(zeros, x, c - 2, channels, plane), below1 = RowOrZeros(zeros, x, c - 1, channels, plane), centre = x + (long)c * plane;
            float* above1 = RowOrZeros(zeros, x, c + 1, channels, plane), above2 = RowOrZeros(zeros, x, c + 2, channels, plane), output = y + (long)c * plane;
            for (var i = 0; ; i += TLanes.Count)
            {
                // The last vector overlaps the one before (recomputing identical values) instead of leaving a scalar tail.
                i = Math.Min(i, width - TLanes.Count);
                var v = TLanes.Load(centre + i);
                var scale = (Square<TLanes>(below2 + i) + Square<TLanes>(below1 + i) + v * v + Square<TLanes>(above1 + i) + Square<TLanes>(above2 + i))
                    * alphaOverSize + k;
                TLanes.Store(v * TPower.Of(scale, beta, out _), output + i);
                if (i == width - TLanes.Count) break;
            }
        }
    }

    /// <summary>Backward: by rows on up to <see cref="RowBackwardChannels"/> channels, down the channels on more.</summary>
    public static void BackwardStrip<TLanes>(float* x, float* dy, float* dx, int width, LrnGeometry g) where TLanes : struct, ILrnLanes<TLanes>
    {
        CheckWidth(width);
        var threeQuarters = g.Beta == 0.75f;
        if (g.C > RowBackwardChannels)
        {
            if (threeQuarters) BackwardDownChannels<TLanes, ThreeQuartersPower>(x, dy, dx, width, g);
            else BackwardDownChannels<TLanes, AnyBetaPower>(x, dy, dx, width, g);
            return;
        }
        // Parts of at most 2 × RowPart positions keep the rings (12 rows) in L1.
        var parts = Math.Max(1, width / RowPart); // the last part takes the remainder
        for (var part = 0; part < parts; part++)
        {
            var first = part * RowPart;
            var partWidth = part == parts - 1 ? width - first : RowPart;
            if (threeQuarters) BackwardByRows<TLanes, ThreeQuartersPower>(x + first, dy + first, dx + first, partWidth, g);
            else BackwardByRows<TLanes, AnyBetaPower>(x + first, dy + first, dx + first, partWidth, g);
        }
    }

    /// <summary>Channels up to which backward walks by rows (measured: mini's 32 and 64 gain, paper's 96 and 256 lose).</summary>
    internal const int RowBackwardChannels = 64;

    private const int RowPart = 128;

    /// <summary>
    /// Backward by rows, two rows behind the scales: at row j the scale, power and ratio t[j] = dy[j]·y[j]/scale[j] of
    /// every position go into rings of rows, and row c = j − 2, whose window's ratios (c − 2 … c + 2) are then all
    /// known, gets its gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    private static void BackwardByRows<TLanes, TPower>(float* x, float* dy, float* dx, int width, LrnGeometry g)
        where TLanes : struct, ILrnLanes<TLanes> where TPower : struct, ILrnPower
    {
        var (plane, channels, beta) = (g.Plane, g.C, g.Beta);
        var (alphaOverSize, k, factor) = (TLanes.Broadcast(g.Alpha / g.Size), TLanes.Broadcast(g.K), TLanes.Broadcast(-2f * g.Alpha * g.Beta / g.Size));
        var zeros = Zeros;
        // Rows of ratios (5 live: slot j & 7) and of powers (3 live: slot j & 3); a part is under 2 × RowPart positions wide.
        var ratios = stackalloc float[RatioSlots * width];
        var powers = stackalloc float[PowerSlots * width];
        for (var j = 0; j < channels + 2; j++)
        {
            if (j < channels)
            {
                float* below2 = RowOrZeros(zeros, x, j - 2, channels, plane), below1 = RowOrZeros(zeros, x, j - 1, channels, plane), centre = x + (long)j * plane;
                float* above1 = RowOrZeros(zeros, x, j + 1, channels, plane), above2 = RowOrZeros(zeros, x, j + 2, channels, plane), gradient = dy + (long)j * plane;
                float* ratioRow = ratios + (j & (RatioSlots - 1)) * width, powerRow = powers + (j & (PowerSlots - 1)) * width;
                for (var i = 0; ; i += TLanes.Count)
                {
                    i = Math.Min(i, width - TLanes.Count);
                    var v = TLanes.Load(centre + i);
                    var scale = (Square<TLanes>(below2 + i) + Square<TLanes>(below1 + i) + v * v + Square<TLanes>(above1 + i) + Square<TLanes>(above2 + i))
                        * alphaOverSize + k;
                    var power = TPower.Of(scale, beta, out var inverse);
                    var output = v * power;
                    TLanes.Store(power, powerRow + i);
                    TLanes.Store(TLanes.Load(gradient + i) * output * inverse, ratioRow + i);
                    if (i == width - TLanes.Count) break;
                }
            }
            var c = j - 2;
            if (c < 0) continue;
            var rowAt = (long)c * plane;
            float* t0 = RatioRowOrZeros(zeros, ratios, c - 2, channels, width), t1 = RatioRowOrZeros(zeros, ratios, c - 1, channels, width);
            float* t2 = RatioRowOrZeros(zeros, ratios, c, channels, width), t3 = RatioRowOrZeros(zeros, ratios, c + 1, channels, width);
            float* t4 = RatioRowOrZeros(zeros, ratios, c + 2, channels, width), powerOfC = powers + (c & (PowerSlots - 1)) * width;
            float* input = x + rowAt, gradientOfC = dy + rowAt, inputGradient = dx + rowAt;
            for (var i = 0; ; i += TLanes.Count)
            {
                i = Math.Min(i, width - TLanes.Count);
                var sum = TLanes.Load(t0 + i) + TLanes.Load(t1 + i) + TLanes.Load(t2 + i) + TLanes.Load(t3 + i) + TLanes.Load(t4 + i);
                TLanes.Store(sum * TLanes.Load(input + i) * factor + TLanes.Load(powerOfC + i) * TLanes.Load(gradientOfC + i), inputGradient + i);
                if (i == width - TLanes.Count) break;
            }
        }
    }

    /// <summary>
    /// Backward down the channels, two channels behind the scales: at channel j the scale, power and ratio t[j] of one
    /// vector of positions are computed, and channel c = j − 2, whose window's ratios (j − 4 … j) are then all known,
    /// gets its gradient; the window's squares, ratios and powers rotate through registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardDownChannels<TLanes, TPower>(float* x, float* dy, float* dx, int width, LrnGeometry g)
        where TLanes : struct, ILrnLanes<TLanes> where TPower : struct, ILrnPower
    {
        var (plane, channels, beta) = (g.Plane, g.C, g.Beta);
        var (alphaOverSize, k, factor, zero) = (TLanes.Broadcast(g.Alpha / g.Size), TLanes.Broadcast(g.K), TLanes.Broadcast(-2f * g.Alpha * g.Beta / g.Size),
            TLanes.Broadcast(0f));
        for (var i = 0; ; i += TLanes.Count)
        {
            i = Math.Min(i, width - TLanes.Count);
            float* column = x + i, gradient = dy + i;
            TLanes s0 = zero, s1 = zero, s2 = SquareAt(column, 0, channels, plane, zero), s3 = SquareAt(column, 1, channels, plane, zero);
            var s4 = SquareAt(column, 2, channels, plane, zero);
            // Ratios of channels j − 4 … j − 1, powers of j − 2 and j − 1.
            TLanes r0 = zero, r1 = zero, r2 = zero, r3 = zero, p0 = zero, p1 = zero;
            for (var j = 0; j < channels + 2; j++)
            {
                TLanes r4 = zero, power = zero;
                if (j < channels)
                {
                    var scale = (s0 + s1 + s2 + s3 + s4) * alphaOverSize + k;
                    power = TPower.Of(scale, beta, out var inverse);
                    var at = (long)j * plane;
                    Ahead(column + at, width - i);
                    Ahead(gradient + at, width - i);
                    var output = TLanes.Load(column + at) * power;
                    r4 = TLanes.Load(gradient + at) * output * inverse;
                    (s0, s1, s2, s3, s4) = (s1, s2, s3, s4, SquareAt(column, j + 3, channels, plane, zero));
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
    /// Asks for the line <see cref="Distance"/> floats ahead in a channel's row: walking down the channels keeps C rows
    /// a plane apart in flight, so without it most lines arrive on demand from memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Ahead(float* row, int remaining)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported && remaining > Distance) System.Runtime.Intrinsics.X86.Sse.Prefetch0(row + Distance);
    }

    private const int Distance = 32; // two lines ahead: measured best of 32, 64 and 128 on Zen 3 (AlexNet's norm1 backward 85 -> 47 ms)

    /// <summary>x[channel]² at one vector of positions (<paramref name="column"/> in channel 0), zero past the last channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLanes SquareAt<TLanes>(float* column, int channel, int channels, int plane, TLanes zero) where TLanes : struct, ILrnLanes<TLanes> =>
        channel >= channels ? zero : Square<TLanes>(column + (long)channel * plane);

    private const int RatioSlots = 8, PowerSlots = 4;

    /// <summary>The widest strip or part a row walk takes: strips are under twice <see cref="LocalResponseNorm"/>'s 256 positions.</summary>
    private const int MaxWidth = 1024;

    /// <summary>
    /// A row of zeros standing in for the channels outside 0..C−1: a zero square or ratio added to a window sum is exact, so
    /// the sums equal those that skip such channels. Allocated once and never freed (4 KiB), outside the moving heap.
    /// </summary>
    private static readonly float* Zeros = (float*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MaxWidth * sizeof(float));

    private static void CheckWidth(int width)
    {
        if (width > MaxWidth) throw new ArgumentOutOfRangeException(nameof(width), width, $"LRN strips are at most {MaxWidth} positions wide.");
    }

    /// <summary>Row <paramref name="channel"/> of a strip whose channel 0 starts at <paramref name="strip"/>, or <see cref="Zeros"/> outside 0..C−1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* RowOrZeros(float* zeros, float* strip, int channel, int channels, int plane) =>
        channel >= 0 && channel < channels ? strip + (long)channel * plane : zeros;

    /// <summary>The ring row of ratios of channel <paramref name="j"/>, or <see cref="Zeros"/> outside 0..C−1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float* RatioRowOrZeros(float* zeros, float* ratios, int j, int channels, int width) =>
        j >= 0 && j < channels ? ratios + (j & (RatioSlots - 1)) * width : zeros;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TLanes Square<TLanes>(float* at) where TLanes : struct, ILrnLanes<TLanes>
    {
        var v = TLanes.Load(at);
        return v * v;
    }
}
