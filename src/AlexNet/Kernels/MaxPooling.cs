using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

/// <summary>
/// Max pooling over NCHW planes without padding (PyTorch's MaxPool2d, floor mode), square window and
/// stride; AlexNet's overlapping pooling is window 3, stride 2. Legend: N batch, C channels, H/W input,
/// P/Q output. The first maximum in row-major window order wins a tie, as in PyTorch's CPU kernel, and its
/// input index is kept so that backward routes the gradient to exactly that element.
/// Each output row takes two passes: the maxima of the window's rows column by column (vectors across columns),
/// then the best of each window's column maxima (vectors across outputs: shuffles for stride 2, gathers otherwise,
/// a branch-free scalar loop without AVX2), a tie going to the smaller input index, which is the row-major first.
/// </summary>
public static unsafe class MaxPooling
{
    private const int MaxStackColumns = 4096;

    public static (int P, int Q) OutputSize(int h, int w, int window, int stride) =>
        ((h - window) / stride + 1, (w - window) / stride + 1);

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int planes, int h, int w, int window, int stride)
        => Forward(x, y, argmax, planes, h, w, window, stride, vectorRows: Avx2.IsSupported);

    /// <summary>Forward with the AVX2 row pass or the scalar one (lets tests cover the fallback).</summary>
    internal static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int planes, int h, int w, int window, int stride, bool vectorRows)
    {
        if (vectorRows && !Avx2.IsSupported) throw new PlatformNotSupportedException("AVX2 is not supported on this machine.");
        var (p, q) = OutputSize(h, w, window, stride);
        if ((long)planes * h * w > x.Length || (long)planes * p * q > Math.Min(y.Length, argmax.Length))
        {
            throw new ArgumentException($"Max pooling of {planes} planes {h}×{w} → {p}×{q}: arrays of {x.Length}, {y.Length}, {argmax.Length} are too short.");
        }
        fixed (float* px = x, py = y)
        fixed (int* pIndex = argmax)
        {
            var (ax, ay, aIndex, xLength) = ((nint)px, (nint)py, (nint)pIndex, x.Length);
            // Several planes per task: a 13×13 plane alone is too little work to be worth a task.
            var perTask = Math.Max(1, 16384 / (h * w));
            Parallel.For(0, (planes + perTask - 1) / perTask, task =>
            {
                // One row of column maxima: on the stack unless the plane is unusually wide.
                // (Spare entries: the stride-2 path loads up to 16 columns past the first one it uses.)
                Span<float> columnSpan = w <= MaxStackColumns ? stackalloc float[w + 16] : new float[w + 16];
                Span<int> indexSpan = w <= MaxStackColumns ? stackalloc int[w + 16] : new int[w + 16];
                fixed (float* columns = columnSpan)
                fixed (int* columnIndices = indexSpan)
                {
                    for (var plane = task * perTask; plane < Math.Min(planes, (task + 1) * perTask); plane++)
                    {
                        var input = (float*)ax + (long)plane * h * w;
                        for (var i = 0; i < p; i++)
                        {
                            // Stride 2 (every AlexNet pool) in one pass, when its loads stay inside x.
                            if (vectorRows && stride == 2
                                && input + (long)(i * 2 + window - 1) * w + 2 * Math.Max(0, q - 8) + window + 15 <= (float*)ax + xLength)
                            {
                                WindowMaximaStrideTwo(input, i * 2, w, q, window, (float*)ay + ((long)plane * p + i) * q, (int*)aIndex + ((long)plane * p + i) * q);
                                continue;
                            }
                            ColumnMaxima(input, i * stride, w, window, (q - 1) * stride + window, columns, columnIndices);
                            RowMaxima(input, columns, columnIndices, (float*)ay + ((long)plane * p + i) * q, (int*)aIndex + ((long)plane * p + i) * q,
                                i * stride * w, w, q, window, stride, vectorRows);
                        }
                    }
                }
            });
        }
    }

    /// <summary>
    /// columns[c] and indices[c]: the first maximum (or first NaN) of input column c over rows top .. top + window − 1,
    /// for c below <paramref name="span"/>. Vectorized across columns; the last vector overlaps the one before
    /// (recomputing the same lanes) instead of leaving a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnMaxima(float* input, int top, int w, int window, int span, float* columns, int* indices)
    {
        var lanes = Vector<float>.Count;
        if (span < lanes && span >= Vector128<float>.Count && Vector128.IsHardwareAccelerated)
        {
            // Rows narrower than a full vector (AlexNet's last pools): the same with 4 lanes.
            var quad = Vector128.Create(0, 1, 2, 3);
            for (var c = 0; ; c += Vector128<float>.Count)
            {
                c = Math.Min(c, span - Vector128<float>.Count);
                var best = Vector128.Load(input + top * w + c);
                var bestIndex = quad + Vector128.Create(top * w + c);
                for (var r = 1; r < window; r++)
                {
                    var start = (top + r) * w + c;
                    var value = Vector128.Load(input + start);
                    var take = Vector128.GreaterThan(value, best) | (~Vector128.Equals(value, value) & Vector128.Equals(best, best));
                    best = Vector128.ConditionalSelect(take, value, best);
                    bestIndex = Vector128.ConditionalSelect(take.AsInt32(), quad + Vector128.Create(start), bestIndex);
                }
                best.Store(columns + c);
                bestIndex.Store(indices + c);
                if (c == span - Vector128<float>.Count) return;
            }
        }
        if (span < lanes || !Vector.IsHardwareAccelerated)
        {
            for (var c = 0; c < span; c++)
            {
                var (best, bestIndex) = (input[top * w + c], top * w + c);
                for (var r = 1; r < window; r++)
                {
                    var index = (top + r) * w + c;
                    var value = input[index];
                    if (value > best || (float.IsNaN(value) && !float.IsNaN(best))) (best, bestIndex) = (value, index);
                }
                (columns[c], indices[c]) = (best, bestIndex);
            }
            return;
        }
        var lane = Vector<int>.Indices;
        for (var c = 0; ; c += lanes)
        {
            c = Math.Min(c, span - lanes);
            var best = Vector.Load(input + top * w + c);
            var bestIndex = lane + new Vector<int>(top * w + c);
            for (var r = 1; r < window; r++)
            {
                var start = (top + r) * w + c;
                var value = Vector.Load(input + start);
                // Strictly larger, or the first NaN: ties keep the upper row, as a row-major scan does.
                var take = Vector.GreaterThan(value, best) | Vector.AndNot(~Vector.Equals(value, value), ~Vector.Equals(best, best));
                best = Vector.ConditionalSelect(take, value, best);
                bestIndex = Vector.ConditionalSelect(take, lane + new Vector<int>(start), bestIndex);
            }
            Vector.Store(best, columns + c);
            Vector.Store(bestIndex, indices + c);
            if (c == span - lanes) break;
        }
    }

    /// <summary>
    /// Each output of one row: the best of its window's column maxima, the smaller input index winning a tie
    /// (which is the row-major first). Branch-free selects (after a ReLU, comparisons are coin flips that a branch
    /// predictor loses); a window holding a NaN is redone in order, since there the first NaN wins.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowMaxima(float* input, float* columns, int* indices, float* output, int* outputIndices, int top, int w, int q, int window, int stride,
        bool vectorRows)
    {
        var first = 0;
        if (vectorRows && stride == 2) first = RowMaximaStrideTwo(columns, indices, output, outputIndices, q, window);
        else if (vectorRows) first = RowMaximaGathered(columns, indices, output, outputIndices, q, window, stride);
        for (var j = first; j < q; j++)
        {
            var c = j * stride;
            var (best, bestIndex) = (BitConverter.SingleToInt32Bits(columns[c]), indices[c]);
            var nan = float.IsNaN(columns[c]);
            for (var s = 1; s < window; s++)
            {
                var (value, index) = (columns[c + s], indices[c + s]);
                var current = BitConverter.Int32BitsToSingle(best);
                var take = (value > current) | ((value == current) & (index < bestIndex));
                var mask = -(int)Unsafe.BitCast<bool, byte>(take);
                best = (BitConverter.SingleToInt32Bits(value) & mask) | (best & ~mask);
                bestIndex = (index & mask) | (bestIndex & ~mask);
                nan |= float.IsNaN(value);
            }
            if (nan) (output[j], outputIndices[j]) = FirstNaN(input, top + c, w, window);
            else (output[j], outputIndices[j]) = (BitConverter.Int32BitsToSingle(best), bestIndex);
        }
    }

    /// <summary>
    /// <see cref="RowMaximaGathered"/> for stride 2 (all AlexNet pools) without gathers: candidate s of outputs j … j + 7
    /// are the even entries of the 16 columns from 2j + s, picked out of two plain loads by a shuffle and a
    /// permute (the odd entries, and the one column past the end that the second load reaches, are dropped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RowMaximaStrideTwo(float* columns, int* indices, float* output, int* outputIndices, int q, int window)
    {
        var lanes = Vector256<float>.Count;
        var narrow = q < lanes;
        var valid = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(q)).AsSingle();
        for (var j = 0; ; j += lanes)
        {
            j = Math.Max(0, Math.Min(j, q - lanes));
            var best = Evens(columns + 2 * j);
            var bestIndex = Evens((float*)indices + 2 * j).AsInt32();
            var nan = ~Vector256.Equals(best, best);
            for (var s = 1; s < window; s++)
            {
                var value = Evens(columns + 2 * j + s);
                var index = Evens((float*)indices + 2 * j + s).AsInt32();
                var take = Vector256.GreaterThan(value, best) | (Vector256.Equals(value, best) & Vector256.LessThan(index, bestIndex).AsSingle());
                best = Vector256.ConditionalSelect(take, value, best);
                bestIndex = Vector256.ConditionalSelect(take.AsInt32(), index, bestIndex);
                nan |= ~Vector256.Equals(value, value);
            }
            if ((nan & valid) != Vector256<float>.Zero) return j;
            if (narrow)
            {
                // Fewer outputs than lanes: the spare lanes saw columns past the row; only the first q are stored.
                Avx.MaskStore(output, valid, best);
                Avx2.MaskStore(outputIndices, valid.AsInt32(), bestIndex);
                return q;
            }
            best.Store(output + j);
            bestIndex.Store(outputIndices + j);
            if (j == q - lanes) return q;
        }
    }

    /// <summary>
    /// One output row of a stride-2 pool in one pass, 8 outputs per vector: every window candidate (r, s) in
    /// row-major order is the even entries of 16 input floats from row top + r, column 2j + s (two plain loads and a
    /// shuffle), and is kept when strictly larger or the first NaN, exactly the reference's scan. The caller checks
    /// that the loads (one float past the last column used) stay inside the input. No column buffer in between:
    /// reloading a buffer just written with shifted vector loads stalls store forwarding.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WindowMaximaStrideTwo(float* input, int top, int w, int q, int window, float* output, int* outputIndices)
    {
        var lanes = Vector256<float>.Count;
        var evenLanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        for (var j = 0; ; j += lanes)
        {
            j = Math.Max(0, Math.Min(j, q - lanes));
            var corner = top * w + 2 * j;
            var best = Evens(input + corner);
            var bestIndex = evenLanes + Vector256.Create(corner);
            for (var r = 0; r < window; r++)
            for (var s = r == 0 ? 1 : 0; s < window; s++)
            {
                var at = (top + r) * w + 2 * j + s;
                var value = Evens(input + at);
                var take = Vector256.GreaterThan(value, best) | (~Vector256.Equals(value, value) & Vector256.Equals(best, best));
                best = Vector256.ConditionalSelect(take, value, best);
                bestIndex = Vector256.ConditionalSelect(take.AsInt32(), evenLanes + Vector256.Create(at), bestIndex);
            }
            if (q < lanes)
            {
                // Fewer outputs than lanes: the spare lanes saw columns past the row; only the first q are stored.
                var valid = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(q));
                Avx.MaskStore(output, valid.AsSingle(), best);
                Avx2.MaskStore(outputIndices, valid, bestIndex);
                return;
            }
            best.Store(output + j);
            bestIndex.Store(outputIndices + j);
            if (j == q - lanes) return;
        }
    }

    /// <summary>(p[0], p[2], …, p[14]): shuffle pairs within 128-bit lanes, then put the 64-bit halves in order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Evens(float* p) =>
        Avx2.Permute4x64(Avx.Shuffle(Avx.LoadVector256(p), Avx.LoadVector256(p + 8), 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();

    /// <summary>
    /// <see cref="RowMaxima"/> for 8 outputs at a time, their strided candidates gathered into vectors; the last
    /// vector overlaps the one before, and a row of fewer than 8 outputs repeats its last output in the spare lanes
    /// (stored under a mask). Returns the first output left to the scalar loop: q when done, else the first
    /// output of a vector holding a NaN (the scalar loop then redoes the rest in order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int RowMaximaGathered(float* columns, int* indices, float* output, int* outputIndices, int q, int window, int stride)
    {
        var lanes = Vector256<float>.Count;
        var narrow = q < lanes;
        var offsets = Vector256.Min(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(q - 1)) * stride;
        for (var j = 0; ; j += lanes)
        {
            j = Math.Max(0, Math.Min(j, q - lanes));
            var at = offsets + Vector256.Create(j * stride);
            var best = Avx2.GatherVector256(columns, at, 4);
            var bestIndex = Avx2.GatherVector256(indices, at, 4);
            var nan = ~Vector256.Equals(best, best);
            for (var s = 1; s < window; s++)
            {
                at += Vector256<int>.One;
                var value = Avx2.GatherVector256(columns, at, 4);
                var index = Avx2.GatherVector256(indices, at, 4);
                var take = Vector256.GreaterThan(value, best) | (Vector256.Equals(value, best) & Vector256.LessThan(index, bestIndex).AsSingle());
                best = Vector256.ConditionalSelect(take, value, best);
                bestIndex = Vector256.ConditionalSelect(take.AsInt32(), index, bestIndex);
                nan |= ~Vector256.Equals(value, value);
            }
            if (nan != Vector256<float>.Zero) return j;
            if (narrow)
            {
                var valid = Vector256.LessThan(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(q));
                Avx.MaskStore(output, valid.AsSingle(), best);
                Avx2.MaskStore(outputIndices, valid, bestIndex);
                return q;
            }
            best.Store(output + j);
            bestIndex.Store(outputIndices + j);
            if (j == q - lanes) return q;
        }
    }

    private static (float, int) FirstNaN(float* input, int corner, int w, int window)
    {
        for (var r = 0; r < window; r++)
        for (var s = 0; s < window; s++)
        {
            if (float.IsNaN(input[corner + r * w + s])) return (float.NaN, corner + r * w + s);
        }
        throw new InvalidOperationException("No NaN in a window flagged as holding one.");
    }

    /// <summary>dx (overwritten): each output gradient added to its window's maximum.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx, int planes, int inputPlane, int outputPlane)
    {
        if ((long)planes * inputPlane > dx.Length || (long)planes * outputPlane > Math.Min(dy.Length, argmax.Length))
        {
            throw new ArgumentException($"Max pooling backward of {planes} planes {inputPlane} → {outputPlane}: arrays of {dy.Length}, {argmax.Length}, {dx.Length} are too short.");
        }
        // Each task clears its own planes right before adding into them: the clearing is spread over the cores and
        // the plane is still in cache for the adds (one memset of the whole tensor first was a quarter of the time).
        dx[(planes * inputPlane)..].Clear();
        fixed (float* pdy = dy, pdx = dx)
        fixed (int* pIndex = argmax)
        {
            var (ady, adx, aIndex) = ((nint)pdy, (nint)pdx, (nint)pIndex);
            Parallel.For(0, planes, plane =>
            {
                var gradient = (float*)ady + (long)plane * outputPlane;
                var indices = (int*)aIndex + (long)plane * outputPlane;
                var target = (float*)adx + (long)plane * inputPlane;
                new Span<float>(target, inputPlane).Clear();
                for (var i = 0; i < outputPlane; i++) target[indices[i]] += gradient[i];
            });
        }
    }
}
