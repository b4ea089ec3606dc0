// Packing routines for Gemm. Packing copies one cache block of op(A) / op(B) into the single layout
// the micro-kernels read, so the four transpose combinations cost nothing inside the hot loop:
//   A panel (MR rows of op(A), kc columns): dst[p*MR + r] = op(A)[i0 + r, p0 + p]
//   B panel (kc rows of op(B), NR columns): dst[p*NR + c] = op(B)[p0 + p, j0 + c]
// Rows/columns beyond the matrix edge are zero-filled, so an edge tile runs the full-size kernel and
// the padding contributes exact zeros; only the valid part of the tile is written back to C.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

internal static unsafe class GemmPacking
{
    /// Packs rows [i0, i0+rows) of op(A) (rows ≤ mr) over k-range [p0, p0+kc) into an mr-row panel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transposeA, float* a, int lda, int i0, int rows, int p0, int kc, int mr, float* dst)
    {
        if (transposeA)
        {
            // op(A)[i, p] = A[p*lda + i]: each k step is a contiguous run of `rows` floats.
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (nint)(p0 + p) * lda + i0;
                float* d = dst + (nint)p * mr;
                int r = 0;
                if (rows >= 8 && Vector256.IsHardwareAccelerated)
                {
                    Vector256.Store(Vector256.Load(src), d);
                    r = 8;
                }
                for (; r < rows; r++) d[r] = src[r];
                for (; r < mr; r++) d[r] = 0f;
            }
            return;
        }

        // op(A)[i, p] = A[i*lda + p]: a transpose of the rows×kc block. Full 8-row panels go through
        // 8×8 register transposes (~3× faster than a scalar gather; A packing matters when n is small);
        // the remainder walks one source row at a time.
        int p0Done = 0;
        if (mr == 8 && rows == 8 && Avx.IsSupported)
            for (; p0Done + 8 <= kc; p0Done += 8)
                Transpose8x8(a + (nint)i0 * lda + p0 + p0Done, lda, dst + (nint)p0Done * 8, 8);
        for (int r = 0; r < mr; r++)
        {
            float* d = dst + r;
            if (r < rows)
            {
                float* src = a + (nint)(i0 + r) * lda + p0;
                for (int p = p0Done; p < kc; p++) d[(nint)p * mr] = src[p];
            }
            else
            {
                for (int p = p0Done; p < kc; p++) d[(nint)p * mr] = 0f;
            }
        }
    }

    /// dst[c*ldd + r] = src[r*lds + c] for an 8×8 block: interleave pairs of rows, then pairs of
    /// pairs, then swap 128-bit halves, leaving each output vector holding one source column.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Transpose8x8(float* src, int lds, float* dst, nint ldd)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + lds);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * (nint)lds), r3 = Avx.LoadVector256(src + 3 * (nint)lds);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * (nint)lds), r5 = Avx.LoadVector256(src + 5 * (nint)lds);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * (nint)lds), r7 = Avx.LoadVector256(src + 7 * (nint)lds);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3);
        Vector256<float> t3 = Avx.UnpackHigh(r2, r3), t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// Packs columns [j0, j0+cols) of op(B) over k-range [p0, p0+kc) into ceil(cols/nr) consecutive
    /// nr-column panels (panel q at dst + q*nr*kc); the last one is zero-padded.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transposeB, float* b, int ldb, int j0, int cols, int p0, int kc, int nr, float* dst)
    {
        if (transposeB)
        {
            for (int q = 0; q < cols; q += nr)
                PackBTransposedPanel(b, ldb, j0 + q, Math.Min(nr, cols - q), p0, kc, nr, dst + (nint)q * kc);
            return;
        }

        // op(B)[p, j] = B[p*ldb + j]. When several panels are packed in one call (block mode), walk each
        // source row across all of them before moving on: long sequential runs let the hardware
        // prefetcher stream B, where panel-by-panel order touches kc rows per 128 bytes copied.
        int full = cols / nr * nr;
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (nint)(p0 + p) * ldb + j0;
            float* d = dst + (nint)p * nr;
            for (int q = 0; q < full; q += nr, d += (nint)nr * kc)
            {
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; c + 8 <= nr; c += 8) Vector256.Store(Vector256.Load(src + q + c), d + c);
                for (; c < nr; c++) d[c] = src[q + c];
            }
            if (full < cols)
            {
                int c = 0;
                for (; c < cols - full; c++) d[c] = src[full + c];
                for (; c < nr; c++) d[c] = 0f;
            }
        }
    }

    // op(B)[p, j] = B[j*ldb + p]: a transpose; 8×8 blocks go through registers (this path dominates
    // packing cost for the B^T shapes of a backward pass), the ragged rest is gathered one column at a time.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackBTransposedPanel(float* b, int ldb, int j0, int cols, int p0, int kc, int nr, float* dst)
    {
        int c0 = 0, pDone = Avx.IsSupported ? kc & ~7 : 0;
        if (pDone > 0)
            for (; c0 + 8 <= cols; c0 += 8)
                for (int p = 0; p < pDone; p += 8)
                    Transpose8x8(b + (nint)(j0 + c0) * ldb + p0 + p, ldb, dst + (nint)p * nr + c0, nr);
        for (int c = 0; c < nr; c++)
        {
            float* d = dst + c;
            int p = c < c0 ? pDone : 0; // columns below c0 already hold rows [0, pDone)
            if (c < cols)
            {
                float* src = b + (nint)(j0 + c) * ldb + p0;
                for (; p < kc; p++) d[(nint)p * nr] = src[p];
            }
            else
            {
                for (; p < kc; p++) d[(nint)p * nr] = 0f;
            }
        }
    }

    public static float* Align64(float* p) => (float*)(((nint)p + 63) & ~(nint)63);

    /// A rows×width block of source floats (row stride `stride`) to pull into L1 ahead of packing.
    /// (prefetcht1/t2 into L2 measured no gain here; t0 recovered ~20% on DRAM-resident B.)
    internal readonly struct Prefetch(float* start, nint stride, int rows, int width)
    {
        public int Rows => rows;

        public void Issue(int firstRow, int endRow)
        {
            if (!Sse.IsSupported) return;
            for (int r = firstRow; r < endRow; r++)
            {
                float* row = start + r * stride;
                for (int off = 0; off < width; off += 16) Sse.Prefetch0(row + off);
                Sse.Prefetch0(row + width - 1);
            }
        }
    }
}
