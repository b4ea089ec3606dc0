using System.Buffers;
using System.Numerics.Tensors;

namespace AlexNet.Kernels;

/// <summary>
/// Vectorized LRN (formula and window in <see cref="LrnGeometry"/>), matching PyTorch's LocalResponseNorm.
/// Works plane by plane so that every operation is a SIMD pass over H·W contiguous floats; samples run in
/// parallel. Backward, with t[j] = dy[j] · y[j] / scale[j]:
///   dx[c] = dy[c] · scale[c]^(−beta) − (2 · alpha · beta / size) · x[c] · Σ_{j : c in window(j)} t[j]
/// where c is in j's window exactly when j runs from c − ⌊(size−1)/2⌋ to c + ⌊size/2⌋.
/// </summary>
public static unsafe class LocalResponseNorm
{
    /// <summary>Writes y and the per-element scale (kept for backward).</summary>
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> scale, LrnGeometry g)
    {
        g.Validate();
        fixed (float* px = x, py = y, pScale = scale)
        {
            var (ax, ay, aScale) = ((nint)px, (nint)py, (nint)pScale);
            var sampleLength = g.C * g.Plane;
            Parallel.For(0, g.N, n =>
            {
                var xs = new ReadOnlySpan<float>((float*)ax + n * sampleLength, sampleLength);
                var ys = new Span<float>((float*)ay + n * sampleLength, sampleLength);
                var scales = new Span<float>((float*)aScale + n * sampleLength, sampleLength);
                var squares = ArrayPool<float>.Shared.Rent(sampleLength);
                try
                {
                    TensorPrimitives.Multiply(xs, xs, squares.AsSpan(0, sampleLength));
                    for (var c = 0; c < g.C; c++)
                    {
                        var sum = scales.Slice(c * g.Plane, g.Plane);
                        SumWindow(squares, c - g.Before, c + g.After, g, sum);
                        TensorPrimitives.Multiply(sum, g.Alpha / g.Size, sum);
                        TensorPrimitives.Add(sum, g.K, sum);
                    }
                    TensorPrimitives.Pow(scales, -g.Beta, ys);
                    TensorPrimitives.Multiply(ys, xs, ys);
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(squares);
                }
            });
        }
    }

    /// <summary>dx (overwritten) from x, y, the forward scale and dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> scale,
        ReadOnlySpan<float> dy, Span<float> dx, LrnGeometry g)
    {
        g.Validate();
        var factor = -2f * g.Alpha * g.Beta / g.Size;
        fixed (float* px = x, py = y, pScale = scale, pdy = dy, pdx = dx)
        {
            var (ax, ay, aScale, ady, adx) = ((nint)px, (nint)py, (nint)pScale, (nint)pdy, (nint)pdx);
            var sampleLength = g.C * g.Plane;
            Parallel.For(0, g.N, n =>
            {
                var offset = n * sampleLength;
                var xs = new ReadOnlySpan<float>((float*)ax + offset, sampleLength);
                var ys = new ReadOnlySpan<float>((float*)ay + offset, sampleLength);
                var scales = new ReadOnlySpan<float>((float*)aScale + offset, sampleLength);
                var dys = new ReadOnlySpan<float>((float*)ady + offset, sampleLength);
                var dxs = new Span<float>((float*)adx + offset, sampleLength);
                var ratio = ArrayPool<float>.Shared.Rent(sampleLength);
                var window = ArrayPool<float>.Shared.Rent(g.Plane);
                try
                {
                    var t = ratio.AsSpan(0, sampleLength);
                    TensorPrimitives.Multiply(dys, ys, t);
                    TensorPrimitives.Divide(t, scales, t);
                    TensorPrimitives.Pow(scales, -g.Beta, dxs);
                    TensorPrimitives.Multiply(dxs, dys, dxs);
                    var sum = window.AsSpan(0, g.Plane);
                    for (var c = 0; c < g.C; c++)
                    {
                        SumWindow(ratio, c - g.After, c + g.Before, g, sum);
                        TensorPrimitives.Multiply(sum, xs.Slice(c * g.Plane, g.Plane), sum);
                        var dxc = dxs.Slice(c * g.Plane, g.Plane);
                        TensorPrimitives.MultiplyAdd(sum, factor, dxc, dxc);
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(ratio);
                    ArrayPool<float>.Shared.Return(window);
                }
            });
        }
    }

    /// <summary>sum = Σ_{c = first … last, clipped to 0 … C−1} planes[c].</summary>
    private static void SumWindow(float[] planes, int first, int last, LrnGeometry g, Span<float> sum)
    {
        first = Math.Max(first, 0);
        last = Math.Min(last, g.C - 1);
        sum.Clear();
        for (var c = first; c <= last; c++) TensorPrimitives.Add(sum, planes.AsSpan(c * g.Plane, g.Plane), sum);
    }
}
