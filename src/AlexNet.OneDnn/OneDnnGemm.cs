using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn;

/// <summary>
/// oneDNN's single-precision GEMM (<c>dnnl_sgemm</c>) with the managed <see cref="Kernels.Gemm.Multiply"/>'s
/// signature, so that the two can be timed side by side on the same operands.
/// </summary>
public static unsafe class OneDnnGemm
{
    /// <summary>C = (accumulate ? C : 0) + op(A)·op(B), row-major; op(A) is m×k, op(B) k×n. Runs on oneDNN's OpenMP threads.</summary>
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate)
    {
        OneDnnLibrary.Load();
        if (c.Length < (long)(m - 1) * ldc + n) throw new ArgumentException($"C holds {c.Length} floats, fewer than {m}×{n} with leading dimension {ldc}.", nameof(c));
        fixed (float* pa = a, pb = b, pc = c)
        {
            NativeMethods.Check(NativeMethods.dnnl_sgemm((byte)(transposeA ? 'T' : 'N'), (byte)(transposeB ? 'T' : 'N'), m, n, k, 1f, pa, lda, pb, ldb,
                accumulate ? 1f : 0f, pc, ldc), "dnnl_sgemm");
        }
    }
}
