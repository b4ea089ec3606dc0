namespace AlexNet.Kernels;

/// Obviously-correct twin of <see cref="Gemm"/> for tests: a plain triple loop, each dot product
/// accumulated in double and added to C once as float. Slow by design; never use it in the network.
public static class GemmReference
{
    /// Same contract as <see cref="Gemm.Multiply"/>; <paramref name="parallel"/> is ignored.
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, bool parallel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        _ = parallel;
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    float aip = transposeA ? a[p * lda + i] : a[i * lda + p];
                    float bpj = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += (double)aip * bpj;
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + (float)sum : (float)sum;
            }
        }
    }
}
