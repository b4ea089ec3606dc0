using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

/// <summary>
/// <see cref="LocalResponseNorm"/> for a window of 5 channels on channel-blocked data: oneDNN's nChw8c, index
/// ((n·C/8 + c/8)·H·W + h·W + w)·8 + c mod 8, which the oneDNN plan's convolutions leave on AVX2 and where oneDNN 2.6's
/// own LRN forward took twice the managed planar kernel's time (mini's norm1 at batch 128 on two Zen 3 cores: 6.2 against
/// 2.7 ms). Eight channels of one position are one vector, so a channel's window reaches into the neighbouring
/// vectors: two shifted copies on each side come from one cross-half permute and an in-half byte shift each.
/// The sums, powers and gradients are <see cref="LocalResponseNormFive"/>'s, term for term and in the same order,
/// so results equal the planar kernel's bit for bit. Needs AVX2 and C a multiple of 8.
/// </summary>
public static unsafe class BlockedLocalResponseNorm
{
    public const int Block = 8;

    /// <summary>Positions per task: a few hundred, so that a batch of one still gives every core work.</summary>
    private const int Strip = 128;

    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>Whether this kernel computes an LRN of this shape: a window of 5 and whole blocks of channels.</summary>
    public static bool Takes(LrnGeometry g) => IsSupported && g.Size == 5 && g.C % Block == 0;

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, LrnGeometry g)
    {
        Check(g, x.Length, y.Length);
        fixed (float* px = x, py = y)
        {
            var (ax, ay) = ((nint)px, (nint)py);
            ForEachStrip(g, (offset, width) => ForwardStrip((float*)ax + offset, (float*)ay + offset, width, g));
        }
    }

    /// <summary>dx (overwritten) from x and dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, LrnGeometry g)
    {
        Check(g, x.Length, dy.Length, dx.Length);
        fixed (float* px = x, pdy = dy, pdx = dx)
        {
            var (ax, ady, adx) = ((nint)px, (nint)pdy, (nint)pdx);
            ForEachStrip(g, (offset, width) => BackwardStrip((float*)ax + offset, (float*)ady + offset, (float*)adx + offset, width, g));
        }
    }

    /// <summary>Runs <paramref name="strip"/>(offset of its first position's first block, positions) over samples × strips of the plane.</summary>
    private static void ForEachStrip(LrnGeometry g, Action<long, int> strip)
    {
        var strips = Math.Max(1, g.Plane / Strip); // the last strip takes the remainder
        Parallel.For(0, g.N * strips, task =>
        {
            var (n, first) = (task / strips, task % strips * Strip);
            var width = task % strips == strips - 1 ? g.Plane - first : Strip;
            strip((long)n * g.C * g.Plane + (long)first * Block, width);
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardStrip(float* x, float* y, int width, LrnGeometry g)
    {
        var (blocks, blockStride, beta) = (g.C / Block, (long)g.Plane * Block, g.Beta);
        var (alphaOverSize, k) = (Vector256.Create(g.Alpha / g.Size), Vector256.Create(g.K));
        for (var i = 0; i < width; i++)
        {
            float* column = x + (long)i * Block, output = y + (long)i * Block;
            // Squares of the blocks before, at and after the current one; outside the channels, zeros.
            Vector256<float> before = Vector256<float>.Zero, current = Square(column), after;
            for (var b = 0; b < blocks; b++)
            {
                after = b + 1 < blocks ? Square(column + (b + 1) * blockStride) : Vector256<float>.Zero;
                var scale = WindowSum(before, current, after) * alphaOverSize + k;
                var power = LocalResponseNorm.Power(Lanes256From(scale), beta, out _).Vector;
                Vector256.Store(Vector256.Load(column + b * blockStride) * power, output + b * blockStride);
                (before, current) = (current, after);
            }
        }
    }

    /// <summary>
    /// Backward one block behind the scales: at block b the scale, power and ratio t = dy·y/scale of its channels are
    /// computed, and block b − 1, whose windows' ratios reach at most into block b, gets its gradient.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardStrip(float* x, float* dy, float* dx, int width, LrnGeometry g)
    {
        var (blocks, blockStride, beta) = (g.C / Block, (long)g.Plane * Block, g.Beta);
        var (alphaOverSize, k, factor) = (Vector256.Create(g.Alpha / g.Size), Vector256.Create(g.K), Vector256.Create(-2f * g.Alpha * g.Beta / g.Size));
        for (var i = 0; i < width; i++)
        {
            var at = (long)i * Block;
            float* column = x + at, gradient = dy + at, inputGradient = dx + at;
            Vector256<float> before = Vector256<float>.Zero, current = Square(column), after;
            // Ratios of blocks b − 2 and b − 1, and the power of block b − 1.
            Vector256<float> ratioTwoBack = Vector256<float>.Zero, ratioBack = Vector256<float>.Zero, powerBack = Vector256<float>.Zero;
            for (var b = 0; b <= blocks; b++)
            {
                Vector256<float> ratio = Vector256<float>.Zero, power = Vector256<float>.Zero;
                if (b < blocks)
                {
                    after = b + 1 < blocks ? Square(column + (b + 1) * blockStride) : Vector256<float>.Zero;
                    var scale = WindowSum(before, current, after) * alphaOverSize + k;
                    power = LocalResponseNorm.Power(Lanes256From(scale), beta, out var inverse).Vector;
                    var output = Vector256.Load(column + b * blockStride) * power;
                    ratio = Vector256.Load(gradient + b * blockStride) * output * inverse.Vector;
                    (before, current) = (current, after);
                }
                if (b >= 1)
                {
                    var back = (b - 1) * blockStride;
                    var sum = WindowSum(ratioTwoBack, ratioBack, ratio);
                    Vector256.Store(sum * Vector256.Load(column + back) * factor + powerBack * Vector256.Load(gradient + back), inputGradient + back);
                }
                (ratioTwoBack, ratioBack, powerBack) = (ratioBack, ratio, power);
            }
        }
    }

    /// <summary>
    /// For each lane (channel c of <paramref name="current"/>) the values of channels c − 2 … c + 2 added in that
    /// order, the channels before and after the block coming from the neighbouring blocks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> WindowSum(Vector256<float> before, Vector256<float> current, Vector256<float> after)
    {
        // Permute2x128(a, b, 0x21) = [a's upper half, b's lower half]; AlignRight shifts each 128-bit half of
        // (left:right) right by whole floats, so the pairs give the eight channels starting one or two away.
        var low = Avx.Permute2x128(before, current, 0x21);
        var high = Avx.Permute2x128(current, after, 0x21);
        var minusTwo = Avx2.AlignRight(current.AsByte(), low.AsByte(), 2 * sizeof(float)).AsSingle();
        var minusOne = Avx2.AlignRight(current.AsByte(), low.AsByte(), 3 * sizeof(float)).AsSingle();
        var plusOne = Avx2.AlignRight(high.AsByte(), current.AsByte(), 1 * sizeof(float)).AsSingle();
        var plusTwo = Avx2.AlignRight(high.AsByte(), current.AsByte(), 2 * sizeof(float)).AsSingle();
        return minusTwo + minusOne + current + plusOne + plusTwo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Square(float* block)
    {
        var v = Vector256.Load(block);
        return v * v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Lanes256 Lanes256From(Vector256<float> value) => Unsafe.As<Vector256<float>, Lanes256>(ref value);

    private static void Check(LrnGeometry g, params ReadOnlySpan<int> lengths)
    {
        g.Validate();
        if (!Takes(g)) throw new ArgumentException($"The blocked LRN kernel needs AVX2, a window of 5 and channels in blocks of {Block}; got {g}.");
        var expected = (long)g.N * g.C * g.Plane;
        foreach (var length in lengths)
        {
            if (length != expected) throw new ArgumentException($"LRN {g} needs {expected} floats per array, got {length}.");
        }
    }
}
