using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AlexNet.Kernels;

/// <summary>
/// Grouped 2-D convolution, matching PyTorch's Conv2d (cross-correlation, zero padding, OIHW weights, bias per
/// output channel). Layers go to <see cref="DirectConvolution"/> (no unfolded matrix at all) where it handles them: stride 1,
/// and on AVX2 also strided passes that need no input gradient (AlexNet's conv1); the rest run as im2col + packed GEMM:
///   y[n, k, p, q] = b[k] + Σ_{c in group(k), r, s} w[k, c, r, s] · x[n, c, p·stride − pad + r, q·stride − pad + s]
/// Legend: N batch, C in-channels, H/W input, K out-channels, R kernel, P/Q output, G groups.
/// Samples are unfolded a chunk at a time into one wide column matrix [C/G·R·R, chunk·P·Q] so that layers
/// with small outputs (6×6, 13×13) still give the GEMM wide, efficient matrices. All parallelism is inside
/// the GEMM and over disjoint rows or planes, and weight gradients are summed over chunks in a fixed order,
/// so results are bitwise reproducible whatever the thread count.
/// </summary>
public static unsafe class Convolution
{
    /// <summary>Upper bound on the unfolded column buffer, in floats (16 MiB): enough for wide GEMMs.</summary>
    private const int MaxColumnFloats = 1 << 22;

    /// <summary>
    /// y from x, w and b; with <paramref name="relu"/>, y = max(y, 0) applied to each output plane right after it is
    /// written (the ReLU that follows the layer, fused: same bits as <see cref="Relu.Forward"/> on the finished y).
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y, Conv2dGeometry g, bool relu = false)
    {
        g.Validate();
        if (DirectConvolution.Handles(g, inputGradient: false))
        {
            DirectConvolution.Forward(x, w, b, y, g, Gemm.BestIsa, relu: relu);
        }
        else
        {
            ForwardUnfolded(x, w, b, y, g, relu);
        }
    }

    /// <summary>The im2col + GEMM forward, whatever the geometry.</summary>
    internal static void ForwardUnfolded(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y, Conv2dGeometry g, bool relu = false)
    {
        g.Validate();
        var (kg, rows, plane) = (g.FiltersPerGroup, g.PatchLength, g.OutputPlane);
        var chunk = ChunkSize(g);
        var col = ArrayPool<float>.Shared.Rent(rows * chunk * plane);
        var product = ArrayPool<float>.Shared.Rent(kg * chunk * plane);
        try
        {
            for (var n0 = 0; n0 < g.N; n0 += chunk)
            {
                var count = Math.Min(chunk, g.N - n0);
                var width = count * plane;
                for (var group = 0; group < g.Groups; group++)
                {
                    Im2Col(x, g, n0, count, group, col);
                    var wGroup = w.Slice(group * kg * rows, kg * rows);
                    if (count == 1)
                    {
                        // One sample: its K/G output planes are already a contiguous kg × plane matrix.
                        var yGroup = y.Slice(((n0 * g.K) + group * kg) * plane, kg * plane);
                        Gemm.Multiply(false, false, kg, width, rows, wGroup, rows, col, width, yGroup, plane, accumulate: false, parallel: true);
                        ScatterToOutput(y, b, y, g, n0, count, group, relu);
                    }
                    else
                    {
                        Gemm.Multiply(false, false, kg, width, rows, wGroup, rows, col, width, product, width, accumulate: false, parallel: true);
                        ScatterToOutput(product, b, y, g, n0, count, group, relu);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
            ArrayPool<float>.Shared.Return(product);
        }
    }

    /// <summary>
    /// dx (overwritten, skipped when empty), dw and db (accumulated) from x, w and dy.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db, Conv2dGeometry g)
    {
        g.Validate();
        if (DirectConvolution.Handles(g, inputGradient: !dx.IsEmpty))
        {
            DirectConvolution.Backward(x, w, dy, dx, dw, db, g, Gemm.BestIsa);
        }
        else
        {
            BackwardUnfolded(x, w, dy, dx, dw, db, g);
        }
    }

    /// <summary>The im2col + GEMM backward, whatever the geometry.</summary>
    internal static void BackwardUnfolded(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db, Conv2dGeometry g)
    {
        g.Validate();
        var (kg, rows, plane) = (g.FiltersPerGroup, g.PatchLength, g.OutputPlane);
        var chunk = ChunkSize(g);
        var col = ArrayPool<float>.Shared.Rent(rows * chunk * plane);
        var gathered = ArrayPool<float>.Shared.Rent(kg * chunk * plane);
        var computeDx = !dx.IsEmpty;
        if (computeDx) dx.Clear();
        try
        {
            for (var n0 = 0; n0 < g.N; n0 += chunk)
            {
                var count = Math.Min(chunk, g.N - n0);
                var width = count * plane;
                for (var group = 0; group < g.Groups; group++)
                {
                    GatherFromOutput(dy, gathered, db, g, n0, count, group);
                    var dyGroup = gathered.AsSpan(0, kg * width);

                    // dW_g += dY_g · colᵀ  (kg × rows, summed over the chunk's positions)
                    Im2Col(x, g, n0, count, group, col);
                    Gemm.Multiply(false, true, kg, rows, width, dyGroup, width, col, width,
                        dw.Slice(group * kg * rows, kg * rows), rows, accumulate: true, parallel: true);

                    if (computeDx)
                    {
                        // dcol = W_gᵀ · dY_g, folded back onto the input planes.
                        Gemm.Multiply(true, false, rows, width, kg, w.Slice(group * kg * rows, kg * rows), rows,
                            dyGroup, width, col, width, accumulate: false, parallel: true);
                        Col2Im(col, g, n0, count, group, dx);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(col);
            ArrayPool<float>.Shared.Return(gathered);
        }
    }

    private static int ChunkSize(Conv2dGeometry g)
    {
        var perSample = (long)g.PatchLength * g.OutputPlane;
        return (int)Math.Clamp(MaxColumnFloats / Math.Max(1, perSample), 1, Math.Max(1, g.N));
    }

    /// <summary>col[(c·R + r)·R + s, n·P·Q + p·Q + q] = x[n0 + n, group·C/G + c, p·stride − pad + r, q·stride − pad + s], 0 outside.</summary>
    internal static void Im2Col(ReadOnlySpan<float> x, Conv2dGeometry g, int n0, int count, int group, float[] col)
    {
        fixed (float* xPointer = x)
        {
            Im2Col((nint)xPointer, x.Length, g, n0, count, group, col);
        }
    }

    private static void Im2Col(nint xAddress, int xLength, Conv2dGeometry g, int n0, int count, int group, float[] col)
    {
        var rows = g.PatchLength;
        var width = count * g.OutputPlane;
        if ((long)((n0 + count - 1) * g.C + group * g.ChannelsPerGroup + g.ChannelsPerGroup) * g.InputPlane > xLength)
        {
            throw new ArgumentException($"Convolution input of {xLength} floats is too short for {g}.");
        }
        fixed (float* pCol = col)
        {
            var colAddress = (nint)pCol;
            // Lines are short (13 to 55 floats in AlexNet): plain pointer loops beat span copies here.
            Parallel.For(0, rows, row =>
            {
                var (c, r, s) = (row / (g.R * g.R), row / g.R % g.R, row % g.R);
                var channel = group * g.ChannelsPerGroup + c;
                var destination = (float*)colAddress + (long)row * width;
                // Output columns q whose input column q·stride − pad + s lies inside [0, W).
                var qFirst = Math.Max(0, CeilDiv(g.Padding - s, g.Stride));
                var qLast = Math.Min(g.Q - 1, (g.W - 1 + g.Padding - s) / g.Stride);
                for (var n = 0; n < count; n++)
                {
                    var plane = (float*)xAddress + ((long)(n0 + n) * g.C + channel) * g.InputPlane;
                    for (var p = 0; p < g.P; p++)
                    {
                        var line = destination + n * g.OutputPlane + p * g.Q;
                        var ih = p * g.Stride - g.Padding + r;
                        if (ih < 0 || ih >= g.H || qFirst > qLast)
                        {
                            for (var q = 0; q < g.Q; q++) line[q] = 0f;
                            continue;
                        }
                        for (var q = 0; q < qFirst; q++) line[q] = 0f;
                        for (var q = qLast + 1; q < g.Q; q++) line[q] = 0f;
                        var source = plane + ih * g.W - g.Padding + s;
                        if (g.Stride == 1)
                        {
                            for (var q = qFirst; q <= qLast; q++) line[q] = source[q];
                        }
                        else
                        {
                            for (var q = qFirst; q <= qLast; q++) line[q] = source[q * g.Stride];
                        }
                    }
                }
            });
        }
    }

    /// <summary>Adds each column entry back onto the input position it was copied from (the adjoint of Im2Col).</summary>
    internal static void Col2Im(float[] col, Conv2dGeometry g, int n0, int count, int group, Span<float> dx)
    {
        fixed (float* dxPointer = dx)
        {
            Col2Im(col, g, n0, count, group, (nint)dxPointer, dx.Length);
        }
    }

    private static void Col2Im(float[] col, Conv2dGeometry g, int n0, int count, int group, nint dxAddress, int dxLength)
    {
        var width = count * g.OutputPlane;
        var cg = g.ChannelsPerGroup;
        if ((long)((n0 + count - 1) * g.C + group * cg + cg) * g.InputPlane > dxLength)
        {
            throw new ArgumentException($"Convolution input gradient of {dxLength} floats is too short for {g}.");
        }
        fixed (float* pCol = col)
        {
            var colAddress = (nint)pCol;
            // Each task owns one input plane, so no two tasks write the same element.
            Parallel.For(0, count * cg, task =>
            {
                var (n, c) = (task / cg, task % cg);
                var plane = (float*)dxAddress + ((long)(n0 + n) * g.C + group * cg + c) * g.InputPlane;
                for (var r = 0; r < g.R; r++)
                {
                    for (var s = 0; s < g.R; s++)
                    {
                        var source = (float*)colAddress + (long)((c * g.R + r) * g.R + s) * width + n * g.OutputPlane;
                        var qFirst = Math.Max(0, CeilDiv(g.Padding - s, g.Stride));
                        var qLast = Math.Min(g.Q - 1, (g.W - 1 + g.Padding - s) / g.Stride);
                        for (var p = 0; p < g.P; p++)
                        {
                            var ih = p * g.Stride - g.Padding + r;
                            if (ih < 0 || ih >= g.H) continue;
                            var target = plane + ih * g.W - g.Padding + s;
                            var line = source + p * g.Q;
                            for (var q = qFirst; q <= qLast; q++) target[q * g.Stride] += line[q];
                        }
                    }
                }
            });
        }
    }

    /// <summary>
    /// y[n0 + n, group·K/G + k] = product[k, n·P·Q …] + b[group·K/G + k], in parallel over the output planes.
    /// With <paramref name="product"/> the output itself (one sample, already in place) only the bias is added. With
    /// <paramref name="relu"/> each plane is then clamped at 0 while it is in cache.
    /// </summary>
    private static void ScatterToOutput(ReadOnlySpan<float> product, ReadOnlySpan<float> b, Span<float> y, Conv2dGeometry g, int n0, int count, int group,
        bool relu)
    {
        var (kg, plane) = (g.FiltersPerGroup, g.OutputPlane);
        var width = count * plane;
        var inPlace = count == 1 && Unsafe.AreSame(ref MemoryMarshal.GetReference(product), ref MemoryMarshal.GetReference(y));
        fixed (float* pProduct = product, pb = b, py = y)
        {
            var (aProduct, ab, ay) = ((nint)pProduct, (nint)pb, (nint)py);
            Parallel.For(0, count * kg, task =>
            {
                var (n, k) = (task / kg, task % kg);
                var channel = group * kg + k;
                var output = (float*)ay + ((long)(n0 + n) * g.K + channel) * plane;
                var target = new Span<float>(output, plane);
                var source = inPlace ? target : new ReadOnlySpan<float>((float*)aProduct + (long)k * width + n * plane, plane);
                TensorPrimitives.Add(source, ((float*)ab)[channel], target);
                if (relu) Relu.ForwardRange(output, output, plane);
            });
        }
    }

    /// <summary>
    /// gathered[k, n·P·Q …] = dy[n0 + n, group·K/G + k], and db[group·K/G + k] += the sum of that row, added in
    /// order (so bias gradients do not depend on vector width or threads); parallel over k.
    /// </summary>
    private static void GatherFromOutput(ReadOnlySpan<float> dy, float[] gathered, Span<float> db, Conv2dGeometry g, int n0, int count, int group)
    {
        var (kg, plane) = (g.FiltersPerGroup, g.OutputPlane);
        var width = count * plane;
        fixed (float* pdy = dy, pdb = db)
        {
            var (ady, adb) = ((nint)pdy, (nint)pdb);
            Parallel.For(0, kg, k =>
            {
                var channel = group * kg + k;
                var row = gathered.AsSpan(k * width, width);
                for (var n = 0; n < count; n++)
                {
                    new ReadOnlySpan<float>((float*)ady + ((long)(n0 + n) * g.K + channel) * plane, plane).CopyTo(row.Slice(n * plane, plane));
                }
                var sum = 0.0;
                foreach (var v in row) sum += v;
                ((float*)adb)[channel] += (float)sum;
            });
        }
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -((-a) / b) : (a + b - 1) / b;
}
