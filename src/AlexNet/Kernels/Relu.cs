using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AlexNet.Kernels;

/// <summary>
/// ReLU over a flat array, y = max(x, 0), and its backward pass, dx = dy where y &gt; 0 else 0 (0 at x = 0, as
/// PyTorch). Vector512 or Vector256 lanes with a scalar tail, over chunks that run in parallel: AlexNet's
/// first activations are 19 M floats per batch of 64, which one core streams far slower than memory allows.
/// Matches <see cref="ReluReference"/> exactly (a comparison and a copy, no rounding). Either kernel may work
/// in place (x and y, or y, dy and dx, the same array).
/// </summary>
public static unsafe class Relu
{
    /// <summary>Floats per parallel task: 256 KiB, large enough to hide the scheduling cost.</summary>
    private const int Chunk = 1 << 16;

    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length != x.Length) throw new ArgumentException($"ReLU: {x.Length} inputs but {y.Length} outputs.");
        fixed (float* px = x, py = y)
        {
            var (ax, ay, length) = ((nint)px, (nint)py, x.Length);
            Parallel.For(0, (length + Chunk - 1) / Chunk, chunk =>
            {
                var start = chunk * Chunk;
                ForwardRange((float*)ax + start, (float*)ay + start, Math.Min(Chunk, length - start));
            });
        }
    }

    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        if (dy.Length != y.Length || dx.Length != y.Length) throw new ArgumentException($"ReLU backward: lengths {y.Length}, {dy.Length}, {dx.Length} differ.");
        fixed (float* py = y, pdy = dy, pdx = dx)
        {
            var (ay, ady, adx, length) = ((nint)py, (nint)pdy, (nint)pdx, y.Length);
            Parallel.For(0, (length + Chunk - 1) / Chunk, chunk =>
            {
                var start = chunk * Chunk;
                BackwardRange((float*)ay + start, (float*)ady + start, (float*)adx + start, Math.Min(Chunk, length - start));
            });
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void ForwardRange(float* x, float* y, int count)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512.Store(Vector512.Max(Vector512.Load(x + i), Vector512<float>.Zero), y + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.Store(Vector256.Max(Vector256.Load(x + i), Vector256<float>.Zero), y + i);
            }
        }
        for (; i < count; i++) y[i] = x[i] > 0 ? x[i] : 0f;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void BackwardRange(float* y, float* dy, float* dx, int count)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= count - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var positive = Vector512.GreaterThan(Vector512.Load(y + i), Vector512<float>.Zero);
                Vector512.Store(Vector512.BitwiseAnd(Vector512.Load(dy + i), positive), dx + i);
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var positive = Vector256.GreaterThan(Vector256.Load(y + i), Vector256<float>.Zero);
                Vector256.Store(Vector256.BitwiseAnd(Vector256.Load(dy + i), positive), dx + i);
            }
        }
        for (; i < count; i++) dx[i] = y[i] > 0 ? dy[i] : 0f;
    }
}
