using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Kernels;

/// <summary>
/// Max pooling (window and stride as <see cref="MaxPooling"/>, no padding, floor mode) on channel-blocked data:
/// oneDNN's nChw8c, index ((n·⌈C/8⌉ + c/8)·H + h)·W + w)·8 + c mod 8. Eight channels of one position are one
/// 256-bit vector, so a window is 9 plain vector loads and maxima with no shuffles, gathers or tails; the oneDNN
/// plan runs it on the blocked activations its convolutions and LRN leave, where oneDNN's own AVX2 pooling
/// measured 3–4× slower. Same tie rule as <see cref="MaxPooling"/> and PyTorch: the first maximum in row-major
/// window order wins, a NaN wins over numbers; backward sends each output's gradient to that one input. The
/// winner is kept per lane as its window index (a byte: windows up to 15×15).
/// Legend: N batch, C channels (padded to blocks of 8 by the layout), H/W input, P/Q output.
/// </summary>
public static unsafe class BlockedMaxPooling
{
    public const int Block = 8;

    /// <summary>y and the winners' window indices from x; <paramref name="blocks"/> = N·⌈C/8⌉ planes of H×W×8 floats.</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<int> winners, int blocks, int h, int w, int window, int stride)
    {
        var (p, q) = MaxPooling.OutputSize(h, w, window, stride);
        Check(x.Length, y.Length, winners.Length, blocks, h, w, p, q);
        fixed (float* px = x, py = y)
        fixed (int* pw = winners)
        {
            var (ax, ay, aw) = ((nint)px, (nint)py, (nint)pw);
            Parallel.For(0, blocks, block => ForwardPlane((float*)ax + (long)block * h * w * Block, (float*)ay + (long)block * p * q * Block,
                (int*)aw + (long)block * p * q * Block, w, p, q, window, stride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPlane(float* input, float* output, int* winners, int w, int p, int q, int window, int stride)
    {
        for (var i = 0; i < p; i++)
        for (var j = 0; j < q; j++)
        {
            ForwardWindow(input + ((long)i * stride * w + j * stride) * Block, w * Block, window, output + ((long)i * q + j) * Block,
                winners + ((long)i * q + j) * Block);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ForwardWindow(float* corner, int rowStride, int window, float* output, int* winner)
    {
        var best = Vector256.Load(corner);
        var index = Vector256<int>.Zero;
        var k = 0;
        for (var r = 0; r < window; r++)
        for (var s = 0; s < window; s++, k++)
        {
            if (k == 0) continue;
            var v = Vector256.Load(corner + r * rowStride + s * Block);
            // Take v where it is larger, or where it is the first NaN (v ≠ v) while best is still a number.
            var take = Vector256.GreaterThan(v, best) | (~Vector256.Equals(v, v) & Vector256.Equals(best, best));
            best = Vector256.ConditionalSelect(take, v, best);
            index = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(k), index);
        }
        best.Store(output);
        index.Store(winner);
    }

    /// <summary>dx (overwritten) from dy and the winners of the forward pass.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> winners, Span<float> dx, int blocks, int h, int w, int window, int stride)
    {
        var (p, q) = MaxPooling.OutputSize(h, w, window, stride);
        Check(dx.Length, dy.Length, winners.Length, blocks, h, w, p, q);
        fixed (float* pdy = dy, pdx = dx)
        fixed (int* pw = winners)
        {
            var (ady, adx, aw) = ((nint)pdy, (nint)pdx, (nint)pw);
            Parallel.For(0, blocks, block => BackwardPlane((float*)ady + (long)block * p * q * Block, (int*)aw + (long)block * p * q * Block,
                (float*)adx + (long)block * h * w * Block, h, w, p, q, window, stride));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardPlane(float* outputGradient, int* winners, float* gradient, int h, int w, int p, int q, int window, int stride)
    {
        new Span<float>(gradient, h * w * Block).Clear();
        for (var i = 0; i < p; i++)
        for (var j = 0; j < q; j++)
        {
            var at = ((long)i * q + j) * Block;
            var corner = gradient + ((long)i * stride * w + j * stride) * Block;
            var index = Vector256.Load(winners + at);
            var g = Vector256.Load(outputGradient + at);
            var k = 0;
            for (var r = 0; r < window; r++)
            for (var s = 0; s < window; s++, k++)
            {
                var target = corner + (r * w + s) * Block;
                (Vector256.Load(target) + (g & Vector256.Equals(index, Vector256.Create(k)).AsSingle())).Store(target);
            }
        }
    }

    private static void Check(int inputLength, int outputLength, int winnersLength, int blocks, int h, int w, int p, int q)
    {
        if ((long)blocks * h * w * Block > inputLength || (long)blocks * p * q * Block > Math.Min(outputLength, winnersLength))
        {
            throw new ArgumentException($"Blocked max pooling of {blocks} blocks {h}×{w} → {p}×{q}: arrays of {inputLength}, {outputLength}, {winnersLength} are too short.");
        }
    }
}
