// Packing routines for Gemm. Packing copies one cache block of op(A) / op(B) into the single layout
// the micro-kernels read, so the four transpose combinations cost nothing inside the hot loop:
//   A panel (MR rows of op(A), kc columns): dst[p*MR + r] = op(A)[i0 + r, p0 + p]
//   B panel (kc rows of op(B), NR columns): dst[p*NR + c] = op(B)[p0 + p, j0 + c]
// Rows/columns beyond the matrix edge are zero-filled, so an edge tile runs the full-size kernel and
// the padding contributes exact zeros; only the valid part of the tile is written back to C.
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

internal static unsafe class GemmPacking
{
    /// Packs rows [i0, i0+rows) of op(A) (rows ≤ mr) over k-range [p0, p0+kc) into an mr-row panel.
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
                for (; r < rows; r++) d[r] = src[r];
                for (; r < mr; r++) d[r] = 0f;
            }
            return;
        }

        // op(A)[i, p] = A[i*lda + p]: walk the rows side by side so the stores stay sequential;
        // each source row is read sequentially, which the hardware prefetcher tracks well.
        for (int r = 0; r < mr; r++)
        {
            float* d = dst + r;
            if (r < rows)
            {
                float* src = a + (nint)(i0 + r) * lda + p0;
                for (int p = 0; p < kc; p++) d[(nint)p * mr] = src[p];
            }
            else
            {
                for (int p = 0; p < kc; p++) d[(nint)p * mr] = 0f;
            }
        }
    }

    /// Packs columns [j0, j0+cols) of op(B) (cols ≤ nr) over k-range [p0, p0+kc) into an nr-column panel.
    public static void PackB(bool transposeB, float* b, int ldb, int j0, int cols, int p0, int kc, int nr, float* dst)
    {
        if (transposeB)
        {
            // op(B)[p, j] = B[j*ldb + p]: a transpose. 16×16 blocks go through registers when AVX-512 is
            // available (this path dominates packing cost for the B^T shapes of a backward pass).
            int c0 = 0;
            if (Vector512.IsHardwareAccelerated && (nr & 15) == 0)
            {
                for (; c0 + 16 <= cols; c0 += 16)
                {
                    int p = 0;
                    for (; p + 16 <= kc; p += 16)
                        Transpose16x16(b + (nint)(j0 + c0) * ldb + p0 + p, ldb, dst + (nint)p * nr + c0, nr);
                    for (; p < kc; p++)
                    {
                        float* src = b + (nint)(j0 + c0) * ldb + p0 + p;
                        float* d = dst + (nint)p * nr + c0;
                        for (int c = 0; c < 16; c++) d[c] = src[(nint)c * ldb];
                    }
                }
            }
            for (int c = c0; c < nr; c++)
            {
                float* d = dst + c;
                if (c < cols)
                {
                    float* src = b + (nint)(j0 + c) * ldb + p0;
                    for (int p = 0; p < kc; p++) d[(nint)p * nr] = src[p];
                }
                else
                {
                    for (int p = 0; p < kc; p++) d[(nint)p * nr] = 0f;
                }
            }
            return;
        }

        // op(B)[p, j] = B[p*ldb + j]: each k step is a contiguous run of `cols` floats.
        for (int p = 0; p < kc; p++)
        {
            float* src = b + (nint)(p0 + p) * ldb + j0;
            float* d = dst + (nint)p * nr;
            int c = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; c + 8 <= cols; c += 8) Vector256.Store(Vector256.Load(src + c), d + c);
            for (; c < cols; c++) d[c] = src[c];
            for (; c < nr; c++) d[c] = 0f;
        }
    }

    /// dst[r*ldd + c] = src[c*lds + r] for a 16×16 block, in registers: four rounds of two-source
    /// permutes (h = 8, 4, 2, 1), each swapping the off-diagonal h×h sub-blocks of every 2h×2h block.
    private static void Transpose16x16(float* src, int lds, float* dst, int ldd)
    {
        var v = stackalloc Vector512<float>[16];
        for (int i = 0; i < 16; i++) v[i] = Vector512.Load(src + (nint)i * lds);
        for (int round = 0, h = 8; h >= 1; round++, h >>= 1)
        {
            Vector512<int> lo = TransposePerms[2 * round], hi = TransposePerms[2 * round + 1];
            for (int i = 0; i < 16; i++)
            {
                if ((i & h) != 0) continue;
                Vector512<float> x = v[i], y = v[i + h];
                v[i] = Avx512F.PermuteVar16x32x2(x, lo, y);
                v[i + h] = Avx512F.PermuteVar16x32x2(x, hi, y);
            }
        }
        for (int i = 0; i < 16; i++) Vector512.Store(v[i], dst + (nint)i * ldd);
    }

    // Permute indices per round: lanes 0..15 pick from the upper row x, 16..31 from the lower row y.
    // Upper row keeps its lanes without bit h and takes y's lanes shifted down by h; lower row mirrors.
    private static readonly Vector512<int>[] TransposePerms = BuildTransposePerms();

    private static Vector512<int>[] BuildTransposePerms()
    {
        var perms = new Vector512<int>[8];
        var idx = new int[16];
        for (int round = 0, h = 8; h >= 1; round++, h >>= 1)
        {
            for (int e = 0; e < 16; e++) idx[e] = (e & h) == 0 ? e : 16 + (e & ~h);
            perms[2 * round] = Vector512.Create(idx);
            for (int e = 0; e < 16; e++) idx[e] = (e & h) == 0 ? (e | h) : 16 + e;
            perms[2 * round + 1] = Vector512.Create(idx);
        }
        return perms;
    }
}
