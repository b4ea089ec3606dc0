namespace AlexNet.Data.Transforms;

/// <summary>
/// Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method (rotate away each
/// off-diagonal element in turn until all are negligible). Plenty for the 3×3 colour covariance; the
/// rotations keep the eigenvectors orthonormal to rounding error.
/// </summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues in descending order and the matching unit eigenvectors (<c>vectors[i]</c> belongs to
    /// <c>values[i]</c>). Each eigenvector's sign is chosen so that its largest-magnitude component is
    /// positive, which makes the result deterministic.
    /// </summary>
    public static (double[] Values, double[][] Vectors) Decompose(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException("The matrix must be square.", nameof(matrix));
        var a = (double[,])matrix.Clone();
        var v = new double[n, n];
        for (var i = 0; i < n; i++) v[i, i] = 1;
        for (var sweep = 0; sweep < 100 && OffDiagonalNorm(a) > 1e-30 * Math.Max(DiagonalNorm(a), 1e-300); sweep++)
        {
            for (var p = 0; p < n - 1; p++)
            for (var q = p + 1; q < n; q++)
            {
                if (a[p, q] == 0) continue;
                // Choose the rotation angle that zeroes a[p, q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0.
                var tau = (a[q, q] - a[p, p]) / (2 * a[p, q]);
                var t = Math.Sign(tau) == 0 ? 1.0 : Math.Sign(tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
                var c = 1 / Math.Sqrt(1 + t * t);
                var s = t * c;
                Rotate(a, v, p, q, c, s);
            }
        }
        var order = Enumerable.Range(0, n).OrderByDescending(i => a[i, i]).ToArray();
        var values = order.Select(i => a[i, i]).ToArray();
        var vectors = order.Select(i =>
        {
            var vector = new double[n];
            for (var r = 0; r < n; r++) vector[r] = v[r, i];
            var largest = vector.MaxBy(Math.Abs);
            if (largest < 0) for (var r = 0; r < n; r++) vector[r] = -vector[r];
            return vector;
        }).ToArray();
        return (values, vectors);
    }

    /// <summary>A ← Jᵀ A J and V ← V J for the rotation J in the (p, q) plane.</summary>
    private static void Rotate(double[,] a, double[,] v, int p, int q, double c, double s)
    {
        var n = a.GetLength(0);
        for (var k = 0; k < n; k++)
        {
            var akp = a[k, p];
            var akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }
        for (var k = 0; k < n; k++)
        {
            var apk = a[p, k];
            var aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }
        for (var k = 0; k < n; k++)
        {
            var vkp = v[k, p];
            var vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }

    private static double OffDiagonalNorm(double[,] a)
    {
        var sum = 0.0;
        for (var i = 0; i < a.GetLength(0); i++)
        for (var j = 0; j < a.GetLength(0); j++) if (i != j) sum += a[i, j] * a[i, j];
        return sum;
    }

    private static double DiagonalNorm(double[,] a)
    {
        var sum = 0.0;
        for (var i = 0; i < a.GetLength(0); i++) sum += a[i, i] * a[i, i];
        return sum;
    }
}
