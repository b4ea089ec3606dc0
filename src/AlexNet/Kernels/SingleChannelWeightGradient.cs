using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

/// <summary>
/// Weight and bias gradients of a 5×5 convolution with one input channel (mini's first layer on grey images) from the
/// plain input and an output gradient in oneDNN's nChw8c blocks, where oneDNN 2.6 on AVX2 has JIT code only from
/// channels-last copies and took 2× this kernel's time with them (mini's conv1 at batch 128 on two Zen 3 cores).
/// Eight output channels are one vector: each output position's gradient vector meets the 25 input values under its
/// window, one row of five taps per pass, the five accumulators held in registers. Tasks take a block of 8 channels
/// and a few samples (their gradients stay in L2 across the five passes) and their partial sums are added in task
/// order, so results do not depend on scheduling. Legend as <see cref="Conv2dGeometry"/>; no groups.
/// </summary>
public static unsafe class SingleChannelWeightGradient
{
    public const int Block = 8;
    private const int Taps = 5;
    private const int SamplesPerTask = 4;

    /// <summary>Whether the kernel computes this convolution's weight gradient.</summary>
    public static bool Takes(Conv2dGeometry g) =>
        Fma.IsSupported && Avx2.IsSupported && g.C == 1 && g.Groups == 1 && g.R == Taps && g.K % Block == 0;

    /// <summary>dw (K·5·5, OIHW) and db (K) overwritten from x (N, 1, H, W) and dy (N, K/8, P, Q, 8).</summary>
    public static void Compute(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> db, Conv2dGeometry g)
    {
        g.Validate();
        if (!Takes(g)) throw new ArgumentException($"The single-channel weight gradient needs AVX2, one input channel, 5×5 and output channels in blocks of {Block}; got {g}.");
        Check("x", x.Length, (long)g.N * g.H * g.W);
        Check("dy", dy.Length, (long)g.N * g.K * g.OutputPlane);
        Check("dw", dw.Length, (long)g.K * Taps * Taps);
        Check("db", db.Length, g.K);
        var (paddedHeight, paddedWidth) = (g.H + 2 * g.Padding, g.W + 2 * g.Padding);
        var (blocks, chunks) = (g.K / Block, (g.N + SamplesPerTask - 1) / SamplesPerTask);
        // Per task: 25 tap vectors and the bias vector.
        const int perTask = (Taps * Taps + 1) * Block;
        var padded = ArrayPool<float>.Shared.Rent(g.N * paddedHeight * paddedWidth);
        var partial = ArrayPool<float>.Shared.Rent(blocks * chunks * perTask);
        try
        {
            Pad(x, padded, g, paddedHeight, paddedWidth);
            fixed (float* px = padded, pdy = dy, pp = partial)
            {
                var (ax, ady, ap) = ((nint)px, (nint)pdy, (nint)pp);
                Parallel.For(0, blocks * chunks, task =>
                {
                    var (block, chunk) = (task % blocks, task / blocks);
                    var first = chunk * SamplesPerTask;
                    Accumulate((float*)ax, (float*)ady, (float*)ap + (long)task * perTask, block, first, Math.Min(g.N, first + SamplesPerTask), g,
                        paddedHeight, paddedWidth);
                });
            }
            Gather(partial, dw, db, blocks, chunks);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(partial);
        }
    }

    private static void Pad(ReadOnlySpan<float> x, float[] padded, Conv2dGeometry g, int paddedHeight, int paddedWidth)
    {
        padded.AsSpan(0, g.N * paddedHeight * paddedWidth).Clear();
        for (var n = 0; n < g.N; n++)
        for (var h = 0; h < g.H; h++)
        {
            x.Slice((n * g.H + h) * g.W, g.W).CopyTo(padded.AsSpan((n * paddedHeight + h + g.Padding) * paddedWidth + g.Padding, g.W));
        }
    }

    /// <summary>One task's partial sums: tap (r, s) of channel lane l at out[(r·5 + s)·8 + l], the bias after the 25 taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(float* padded, float* dy, float* output, int block, int first, int end, Conv2dGeometry g, int paddedHeight, int paddedWidth)
    {
        var (p, q, stride, blocks) = (g.P, g.Q, g.Stride, g.K / Block);
        var bias = Vector256<float>.Zero;
        for (var r = 0; r < Taps; r++)
        {
            Vector256<float> a0 = Vector256<float>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0;
            for (var n = first; n < end; n++)
            {
                var gradients = dy + ((long)n * blocks + block) * p * q * Block;
                var image = padded + (long)n * paddedHeight * paddedWidth + r * paddedWidth;
                for (var i = 0; i < p; i++)
                {
                    var row = image + i * stride * paddedWidth;
                    var rowGradients = gradients + (long)i * q * Block;
                    for (var j = 0; j < q; j++)
                    {
                        var d = Vector256.Load(rowGradients + j * Block);
                        var window = row + j * stride;
                        a0 = Fma.MultiplyAdd(d, Vector256.Create(window[0]), a0);
                        a1 = Fma.MultiplyAdd(d, Vector256.Create(window[1]), a1);
                        a2 = Fma.MultiplyAdd(d, Vector256.Create(window[2]), a2);
                        a3 = Fma.MultiplyAdd(d, Vector256.Create(window[3]), a3);
                        a4 = Fma.MultiplyAdd(d, Vector256.Create(window[4]), a4);
                        if (r == 0) bias += d;
                    }
                }
            }
            var taps = output + r * Taps * Block;
            a0.Store(taps);
            a1.Store(taps + Block);
            a2.Store(taps + 2 * Block);
            a3.Store(taps + 3 * Block);
            a4.Store(taps + 4 * Block);
        }
        bias.Store(output + Taps * Taps * Block);
    }

    /// <summary>Adds the tasks' partial sums in task order and lays the taps out as OIHW.</summary>
    private static void Gather(float[] partial, Span<float> dw, Span<float> db, int blocks, int chunks)
    {
        const int perTask = (Taps * Taps + 1) * Block;
        dw.Clear();
        db.Clear();
        for (var chunk = 0; chunk < chunks; chunk++)
        for (var block = 0; block < blocks; block++)
        {
            var sums = partial.AsSpan((chunk * blocks + block) * perTask, perTask);
            for (var lane = 0; lane < Block; lane++)
            {
                var channel = block * Block + lane;
                for (var tap = 0; tap < Taps * Taps; tap++) dw[channel * Taps * Taps + tap] += sums[tap * Block + lane];
                db[channel] += sums[Taps * Taps * Block + lane];
            }
        }
    }

    private static void Check(string name, int length, long expected)
    {
        if (length != expected) throw new ArgumentException($"The single-channel weight gradient needs {expected} floats of {name}, got {length}.");
    }
}
