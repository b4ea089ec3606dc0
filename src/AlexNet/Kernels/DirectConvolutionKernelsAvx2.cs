using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

/// <summary>
/// The full-width AVX2 tiles of <see cref="DirectConvolutionKernels"/>, shaped for 16 ymm registers: each 8-row
/// tile runs as two 4-row halves of 24 lanes (three vectors), so that a half keeps 12 accumulators, 3 vectors
/// of the streamed operand and 1 broadcast in registers, and every tap costs 3 loads and 4 broadcasts for 12
/// FMAs (the 8 × 8 tile needed 9 for 8). Twelve independent chains cover Zen's and Haswell's FMA latency on two
/// pipes. Each half sums its taps (or positions) in the same increasing order as the 8-lane tiles, so results are
/// bitwise those of the 8 × 8 kernels. Same arguments and layouts as the 8-row tiles.
/// </summary>
internal static unsafe class DirectConvolutionKernelsAvx2
{
    private const int Rows = DirectConvolutionKernels.Rows;

    /// <summary>Lanes of a full tile.</summary>
    public const int Width = 24;

    /// <summary>dst[m, j] = Σ_t w[t·8 + m] · src[offsets[t] + j] for 8 filters m and 24 grid positions j.</summary>
    public static void Correlate8x24(nint taps, float* w, int* offsets, float* src, float* dst, nint ldd)
    {
        Correlate4x24(taps, w, offsets, src, dst, ldd);
        Correlate4x24(taps, w + 4, offsets, src, dst + 4 * ldd, ldd);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Correlate4x24(nint taps, float* w, int* offsets, float* src, float* dst, nint ldd)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        for (nint t = 0; t < taps; t++, w += Rows)
        {
            var s = src + offsets[t];
            Vector256<float> b0 = Vector256.Load(s), b1 = Vector256.Load(s + 8), b2 = Vector256.Load(s + 16), x;
            x = Vector256.Create(w[0]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01); c02 = Fma.MultiplyAdd(x, b2, c02);
            x = Vector256.Create(w[1]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11); c12 = Fma.MultiplyAdd(x, b2, c12);
            x = Vector256.Create(w[2]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21); c22 = Fma.MultiplyAdd(x, b2, c22);
            x = Vector256.Create(w[3]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31); c32 = Fma.MultiplyAdd(x, b2, c32);
        }
        c00.Store(dst); c01.Store(dst + 8); c02.Store(dst + 16);
        c10.Store(dst + ldd); c11.Store(dst + ldd + 8); c12.Store(dst + ldd + 16);
        c20.Store(dst + 2 * ldd); c21.Store(dst + 2 * ldd + 8); c22.Store(dst + 2 * ldd + 16);
        c30.Store(dst + 3 * ldd); c31.Store(dst + 3 * ldd + 8); c32.Store(dst + 3 * ldd + 16);
    }

    /// <summary>dst[m, k] += Σ_{p, q} src[rowOffsets[m] + p·rowStride + q] · b[(p·width + q)·ldb + k] for 8 taps m and 24 channels k.</summary>
    public static void Weights8x24(nint rows, nint width, nint rowStride, float* src, int* rowOffsets, float* b, nint ldb, float* dst, nint ldd)
    {
        Weights4x24(rows, width, rowStride, src, rowOffsets, b, ldb, dst, ldd);
        Weights4x24(rows, width, rowStride, src, rowOffsets + 4, b, ldb, dst + 4 * ldd, ldd);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Weights4x24(nint rows, nint width, nint rowStride, float* src, int* rowOffsets, float* b, nint ldb, float* dst, nint ldd)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        Vector256<float> c00 = Vector256.Load(dst), c01 = Vector256.Load(dst + 8), c02 = Vector256.Load(dst + 16);
        Vector256<float> c10 = Vector256.Load(dst + ldd), c11 = Vector256.Load(dst + ldd + 8), c12 = Vector256.Load(dst + ldd + 16);
        Vector256<float> c20 = Vector256.Load(dst + 2 * ldd), c21 = Vector256.Load(dst + 2 * ldd + 8), c22 = Vector256.Load(dst + 2 * ldd + 16);
        Vector256<float> c30 = Vector256.Load(dst + 3 * ldd), c31 = Vector256.Load(dst + 3 * ldd + 8), c32 = Vector256.Load(dst + 3 * ldd + 16);
        for (nint row = 0, start = 0; row < rows; row++, start += rowStride)
        for (nint j = start; j < start + width; j++, b += ldb)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8), b2 = Vector256.Load(b + 16), x;
            x = Vector256.Create(s0[j]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01); c02 = Fma.MultiplyAdd(x, b2, c02);
            x = Vector256.Create(s1[j]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11); c12 = Fma.MultiplyAdd(x, b2, c12);
            x = Vector256.Create(s2[j]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21); c22 = Fma.MultiplyAdd(x, b2, c22);
            x = Vector256.Create(s3[j]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31); c32 = Fma.MultiplyAdd(x, b2, c32);
        }
        c00.Store(dst); c01.Store(dst + 8); c02.Store(dst + 16);
        c10.Store(dst + ldd); c11.Store(dst + ldd + 8); c12.Store(dst + ldd + 16);
        c20.Store(dst + 2 * ldd); c21.Store(dst + 2 * ldd + 8); c22.Store(dst + 2 * ldd + 16);
        c30.Store(dst + 3 * ldd); c31.Store(dst + 3 * ldd + 8); c32.Store(dst + 3 * ldd + 16);
    }

    /// <summary>dst[m, k] = Σ_t src[rowOffsets[m] + tapOffsets[t]] · w[t·ldw + k] for 8 positions m and 24 channels k (row stride 32).</summary>
    public static void Gather8x24(nint taps, float* src, int* rowOffsets, int* tapOffsets, float* w, nint ldw, float* dst)
    {
        Gather4x24(taps, src, rowOffsets, tapOffsets, w, ldw, dst);
        Gather4x24(taps, src, rowOffsets + 4, tapOffsets, w, ldw, dst + 4 * 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Gather4x24(nint taps, float* src, int* rowOffsets, int* tapOffsets, float* w, nint ldw, float* dst)
    {
        float* s0 = src + rowOffsets[0], s1 = src + rowOffsets[1], s2 = src + rowOffsets[2], s3 = src + rowOffsets[3];
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        for (nint t = 0; t < taps; t++, w += ldw)
        {
            nint o = tapOffsets[t];
            Vector256<float> b0 = Vector256.Load(w), b1 = Vector256.Load(w + 8), b2 = Vector256.Load(w + 16), x;
            x = Vector256.Create(s0[o]); c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01); c02 = Fma.MultiplyAdd(x, b2, c02);
            x = Vector256.Create(s1[o]); c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11); c12 = Fma.MultiplyAdd(x, b2, c12);
            x = Vector256.Create(s2[o]); c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21); c22 = Fma.MultiplyAdd(x, b2, c22);
            x = Vector256.Create(s3[o]); c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31); c32 = Fma.MultiplyAdd(x, b2, c32);
        }
        c00.Store(dst); c01.Store(dst + 8); c02.Store(dst + 16);
        c10.Store(dst + 32); c11.Store(dst + 40); c12.Store(dst + 48);
        c20.Store(dst + 64); c21.Store(dst + 72); c22.Store(dst + 80);
        c30.Store(dst + 96); c31.Store(dst + 104); c32.Store(dst + 112);
    }
}
