using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

/// <summary>
/// Register-blocked micro-kernels of <see cref="DirectConvolution"/>. Both families keep an 8-row tile of
/// results in registers and read one operand straight from a zero-padded source plane (see
/// <see cref="CorrelationLayout"/>), so no im2col matrix is ever written.
/// <para>
/// Correlate (forward and input gradient): dst[m, j] = Σ_t w[t·8 + m] · src[offsets[t] + j] for 8 rows m and a
/// run of grid positions j; w is packed tap-major (8 filters per tap), the positions are vector lanes, and
/// every tap costs one unaligned load per vector plus 8 broadcasts. AVX-512: 8×32 (16 zmm accumulators, as
/// many independent FMA chains as Gemm's 8×32 kernel) and 8×16 for the last tile; AVX2: 8×8 (8 ymm, leaving
/// room in the 16 registers); scalar 8×8.
/// </para>
/// <para>
/// Weights (weight gradient): dst[m, k] += Σ_{p, q} src[rowOffsets[m] + p·rowStride + q] · b[(p·width + q)·ldb + k] for
/// 8 taps m and a run of output channels k: the output positions (rows × width, read from Wp-wide padded planes) are
/// the reduction, the channels the vector lanes (b is the output gradient transposed to position-major), and the
/// source is broadcast from 8 row pointers. Only real output positions are visited.
/// Gather (forward and input gradient, channel-vector form): like Correlate with the roles of lanes and rows
/// swapped: 8 output positions (each broadcast from its own offset) by a run of channels, weights packed tap-major
/// with the channels contiguous.
/// Every sum runs in increasing t or j, so results do not depend on which thread runs a tile.
/// </para>
/// </summary>
internal static unsafe class DirectConvolutionKernels
{
    public const int Rows = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Correlate8x32(nint taps, float* w, int* offsets, float* src, float* dst, nint ldd)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (nint t = 0; t < taps; t++)
        {
            var s = src + offsets[t];
            Vector512<float> b0 = Vector512.Load(s), b1 = Vector512.Load(s + 16), x;
            x = Vector512.Create(w[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(w[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(w[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(w[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(w[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(w[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(w[6]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(w[7]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            w += Rows;
        }
        c00.Store(dst); c01.Store(dst + 16); c10.Store(dst + ldd); c11.Store(dst + ldd + 16);
        c20.Store(dst + 2 * ldd); c21.Store(dst + 2 * ldd + 16); c30.Store(dst + 3 * ldd); c31.Store(dst + 3 * ldd + 16);
        c40.Store(dst + 4 * ldd); c41.Store(dst + 4 * ldd + 16); c50.Store(dst + 5 * ldd); c51.Store(dst + 5 * ldd + 16);
        c60.Store(dst + 6 * ldd); c61.Store(dst + 6 * ldd + 16); c70.Store(dst + 7 * ldd); c71.Store(dst + 7 * ldd + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Correlate8x16(nint taps, float* w, int* offsets, float* src, float* dst, nint ldd)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (nint t = 0; t < taps; t++)
        {
            var b = Vector512.Load(src + offsets[t]);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[0]), b, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[1]), b, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[2]), b, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[3]), b, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[4]), b, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[5]), b, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[6]), b, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(w[7]), b, c7);
            w += Rows;
        }
        c0.Store(dst); c1.Store(dst + ldd); c2.Store(dst + 2 * ldd); c3.Store(dst + 3 * ldd);
        c4.Store(dst + 4 * ldd); c5.Store(dst + 5 * ldd); c6.Store(dst + 6 * ldd); c7.Store(dst + 7 * ldd);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Correlate8x8(nint taps, float* w, int* offsets, float* src, float* dst, nint ldd)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (nint t = 0; t < taps; t++)
        {
            var b = Vector256.Load(src + offsets[t]);
            c0 = Fma256(Vector256.Create(w[0]), b, c0);
            c1 = Fma256(Vector256.Create(w[1]), b, c1);
            c2 = Fma256(Vector256.Create(w[2]), b, c2);
            c3 = Fma256(Vector256.Create(w[3]), b, c3);
            c4 = Fma256(Vector256.Create(w[4]), b, c4);
            c5 = Fma256(Vector256.Create(w[5]), b, c5);
            c6 = Fma256(Vector256.Create(w[6]), b, c6);
            c7 = Fma256(Vector256.Create(w[7]), b, c7);
            w += Rows;
        }
        c0.Store(dst); c1.Store(dst + ldd); c2.Store(dst + 2 * ldd); c3.Store(dst + 3 * ldd);
        c4.Store(dst + 4 * ldd); c5.Store(dst + 5 * ldd); c6.Store(dst + 6 * ldd); c7.Store(dst + 7 * ldd);
    }

    /// <summary>The scalar fallback of <see cref="Correlate8x8"/>: same tile, same order of sums.</summary>
    public static void Correlate8x8Scalar(nint taps, float* w, int* offsets, float* src, float* dst, nint ldd)
    {
        var acc = stackalloc float[Rows * 8];
        new Span<float>(acc, Rows * 8).Clear();
        for (nint t = 0; t < taps; t++, w += Rows)
        {
            var s = src + offsets[t];
            for (var m = 0; m < Rows; m++)
            for (var j = 0; j < 8; j++)
            {
                acc[m * 8 + j] += w[m] * s[j];
            }
        }
        for (var m = 0; m < Rows; m++)
        for (var j = 0; j < 8; j++)
        {
            dst[m * ldd + j] = acc[m * 8 + j];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Weights8x32(nint rows, nint width, nint rowStride, float* src, int* rowOffsets, float* b, nint ldb, float* dst, nint ldd)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        float* s4 = src + rowOffsets[4], s5 = src + rowOffsets[5], s6 = src + rowOffsets[6], s7 = src + rowOffsets[7];
        Vector512<float> c00 = Vector512.Load(dst), c01 = Vector512.Load(dst + 16);
        Vector512<float> c10 = Vector512.Load(dst + ldd), c11 = Vector512.Load(dst + ldd + 16);
        Vector512<float> c20 = Vector512.Load(dst + 2 * ldd), c21 = Vector512.Load(dst + 2 * ldd + 16);
        Vector512<float> c30 = Vector512.Load(dst + 3 * ldd), c31 = Vector512.Load(dst + 3 * ldd + 16);
        Vector512<float> c40 = Vector512.Load(dst + 4 * ldd), c41 = Vector512.Load(dst + 4 * ldd + 16);
        Vector512<float> c50 = Vector512.Load(dst + 5 * ldd), c51 = Vector512.Load(dst + 5 * ldd + 16);
        Vector512<float> c60 = Vector512.Load(dst + 6 * ldd), c61 = Vector512.Load(dst + 6 * ldd + 16);
        Vector512<float> c70 = Vector512.Load(dst + 7 * ldd), c71 = Vector512.Load(dst + 7 * ldd + 16);
        for (nint row = 0, start = 0; row < rows; row++, start += rowStride)
        for (nint j = start; j < start + width; j++, b += ldb)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), x;
            x = Vector512.Create(s0[j]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(s1[j]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(s2[j]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(s3[j]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(s4[j]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(s5[j]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(s6[j]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(s7[j]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
        }
        c00.Store(dst); c01.Store(dst + 16); c10.Store(dst + ldd); c11.Store(dst + ldd + 16);
        c20.Store(dst + 2 * ldd); c21.Store(dst + 2 * ldd + 16); c30.Store(dst + 3 * ldd); c31.Store(dst + 3 * ldd + 16);
        c40.Store(dst + 4 * ldd); c41.Store(dst + 4 * ldd + 16); c50.Store(dst + 5 * ldd); c51.Store(dst + 5 * ldd + 16);
        c60.Store(dst + 6 * ldd); c61.Store(dst + 6 * ldd + 16); c70.Store(dst + 7 * ldd); c71.Store(dst + 7 * ldd + 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Weights8x16(nint rows, nint width, nint rowStride, float* src, int* rowOffsets, float* b, nint ldb, float* dst, nint ldd)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        float* s4 = src + rowOffsets[4], s5 = src + rowOffsets[5], s6 = src + rowOffsets[6], s7 = src + rowOffsets[7];
        Vector512<float> c0 = Vector512.Load(dst), c1 = Vector512.Load(dst + ldd), c2 = Vector512.Load(dst + 2 * ldd);
        Vector512<float> c3 = Vector512.Load(dst + 3 * ldd), c4 = Vector512.Load(dst + 4 * ldd), c5 = Vector512.Load(dst + 5 * ldd);
        Vector512<float> c6 = Vector512.Load(dst + 6 * ldd), c7 = Vector512.Load(dst + 7 * ldd);
        for (nint row = 0, start = 0; row < rows; row++, start += rowStride)
        for (nint j = start; j < start + width; j++, b += ldb)
        {
            var v = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(s0[j]), v, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(s1[j]), v, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(s2[j]), v, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(s3[j]), v, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(s4[j]), v, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(s5[j]), v, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(s6[j]), v, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(s7[j]), v, c7);
        }
        c0.Store(dst); c1.Store(dst + ldd); c2.Store(dst + 2 * ldd); c3.Store(dst + 3 * ldd);
        c4.Store(dst + 4 * ldd); c5.Store(dst + 5 * ldd); c6.Store(dst + 6 * ldd); c7.Store(dst + 7 * ldd);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Weights8x8(nint rows, nint width, nint rowStride, float* src, int* rowOffsets, float* b, nint ldb, float* dst, nint ldd)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        float* s4 = src + rowOffsets[4], s5 = src + rowOffsets[5], s6 = src + rowOffsets[6], s7 = src + rowOffsets[7];
        Vector256<float> c0 = Vector256.Load(dst), c1 = Vector256.Load(dst + ldd), c2 = Vector256.Load(dst + 2 * ldd);
        Vector256<float> c3 = Vector256.Load(dst + 3 * ldd), c4 = Vector256.Load(dst + 4 * ldd), c5 = Vector256.Load(dst + 5 * ldd);
        Vector256<float> c6 = Vector256.Load(dst + 6 * ldd), c7 = Vector256.Load(dst + 7 * ldd);
        for (nint row = 0, start = 0; row < rows; row++, start += rowStride)
        for (nint j = start; j < start + width; j++, b += ldb)
        {
            var v = Vector256.Load(b);
            c0 = Fma256(Vector256.Create(s0[j]), v, c0);
            c1 = Fma256(Vector256.Create(s1[j]), v, c1);
            c2 = Fma256(Vector256.Create(s2[j]), v, c2);
            c3 = Fma256(Vector256.Create(s3[j]), v, c3);
            c4 = Fma256(Vector256.Create(s4[j]), v, c4);
            c5 = Fma256(Vector256.Create(s5[j]), v, c5);
            c6 = Fma256(Vector256.Create(s6[j]), v, c6);
            c7 = Fma256(Vector256.Create(s7[j]), v, c7);
        }
        c0.Store(dst); c1.Store(dst + ldd); c2.Store(dst + 2 * ldd); c3.Store(dst + 3 * ldd);
        c4.Store(dst + 4 * ldd); c5.Store(dst + 5 * ldd); c6.Store(dst + 6 * ldd); c7.Store(dst + 7 * ldd);
    }

    /// <summary>The scalar fallback of <see cref="Weights8x8"/>.</summary>
    public static void Weights8x8Scalar(nint rows, nint width, nint rowStride, float* src, int* rowOffsets, float* b, nint ldb, float* dst, nint ldd)
    {
        for (var m = 0; m < Rows; m++)
        {
            var s = src + rowOffsets[m];
            var sums = dst + m * ldd;
            var line = b;
            for (nint row = 0; row < rows; row++)
            for (nint j = row * rowStride; j < row * rowStride + width; j++, line += ldb)
            {
                var x = s[j];
                for (var k = 0; k < 8; k++) sums[k] += x * line[k];
            }
        }
    }

    /// <summary>
    /// Channel-vector correlation: dst[m, k] = Σ_t src[rowOffsets[m] + tapOffsets[t]] · w[t·ldw + k] for 8 output
    /// positions m (any 8, each with its own offset) and 32 channels k: no lane is spent on padding columns. The
    /// tile is stored with row stride 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather8x32(nint taps, float* src, int* rowOffsets, int* tapOffsets, float* w, nint ldw, float* dst)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        float* s4 = src + rowOffsets[4], s5 = src + rowOffsets[5], s6 = src + rowOffsets[6], s7 = src + rowOffsets[7];
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (nint t = 0; t < taps; t++, w += ldw)
        {
            nint o = tapOffsets[t];
            Vector512<float> b0 = Vector512.Load(w), b1 = Vector512.Load(w + 16), x;
            x = Vector512.Create(s0[o]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(s1[o]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(s2[o]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(s3[o]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(s4[o]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(s5[o]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(s6[o]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(s7[o]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
        }
        c00.Store(dst); c01.Store(dst + 16); c10.Store(dst + 32); c11.Store(dst + 48);
        c20.Store(dst + 64); c21.Store(dst + 80); c30.Store(dst + 96); c31.Store(dst + 112);
        c40.Store(dst + 128); c41.Store(dst + 144); c50.Store(dst + 160); c51.Store(dst + 176);
        c60.Store(dst + 192); c61.Store(dst + 208); c70.Store(dst + 224); c71.Store(dst + 240);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather8x16(nint taps, float* src, int* rowOffsets, int* tapOffsets, float* w, nint ldw, float* dst)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        float* s4 = src + rowOffsets[4], s5 = src + rowOffsets[5], s6 = src + rowOffsets[6], s7 = src + rowOffsets[7];
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (nint t = 0; t < taps; t++, w += ldw)
        {
            nint o = tapOffsets[t];
            var b = Vector512.Load(w);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(s0[o]), b, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(s1[o]), b, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(s2[o]), b, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(s3[o]), b, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(s4[o]), b, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(s5[o]), b, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(s6[o]), b, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(s7[o]), b, c7);
        }
        c0.Store(dst); c1.Store(dst + 32); c2.Store(dst + 64); c3.Store(dst + 96);
        c4.Store(dst + 128); c5.Store(dst + 160); c6.Store(dst + 192); c7.Store(dst + 224);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Gather8x8(nint taps, float* src, int* rowOffsets, int* tapOffsets, float* w, nint ldw, float* dst)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        float* s4 = src + rowOffsets[4], s5 = src + rowOffsets[5], s6 = src + rowOffsets[6], s7 = src + rowOffsets[7];
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (nint t = 0; t < taps; t++, w += ldw)
        {
            nint o = tapOffsets[t];
            var b = Vector256.Load(w);
            c0 = Fma256(Vector256.Create(s0[o]), b, c0);
            c1 = Fma256(Vector256.Create(s1[o]), b, c1);
            c2 = Fma256(Vector256.Create(s2[o]), b, c2);
            c3 = Fma256(Vector256.Create(s3[o]), b, c3);
            c4 = Fma256(Vector256.Create(s4[o]), b, c4);
            c5 = Fma256(Vector256.Create(s5[o]), b, c5);
            c6 = Fma256(Vector256.Create(s6[o]), b, c6);
            c7 = Fma256(Vector256.Create(s7[o]), b, c7);
        }
        c0.Store(dst); c1.Store(dst + 32); c2.Store(dst + 64); c3.Store(dst + 96);
        c4.Store(dst + 128); c5.Store(dst + 160); c6.Store(dst + 192); c7.Store(dst + 224);
    }

    /// <summary>The scalar fallback of <see cref="Gather8x8"/>.</summary>
    public static void Gather8x8Scalar(nint taps, float* src, int* rowOffsets, int* tapOffsets, float* w, nint ldw, float* dst)
    {
        for (var m = 0; m < Rows; m++)
        {
            var row = dst + m * 32;
            for (var k = 0; k < 8; k++) row[k] = 0f;
            var s = src + rowOffsets[m];
            for (nint t = 0; t < taps; t++)
            {
                var x = s[tapOffsets[t]];
                var line = w + t * ldw;
                for (var k = 0; k < 8; k++) row[k] += x * line[k];
            }
        }
    }

    // Without FMA hardware a separate multiply and add is still exact-per-operation and deterministic.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> x, Vector256<float> y, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : acc + x * y;
}
