namespace AlexNet.Kernels;

/// <summary>
/// The plain twin of <see cref="BatchNormalization"/>: the formulas written out one element at a time, accumulating in
/// double, used by the tests as ground truth. Same layouts and argument order.
/// Legend: N batch, C channels, S positions per channel and sample, M = N·S.
/// </summary>
public static class BatchNormalizationReference
{
    public static void ForwardTraining(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> variance, BatchNormGeometry g)
    {
        g.Validate();
        for (var c = 0; c < g.C; c++)
        {
            double sum = 0;
            for (var n = 0; n < g.N; n++)
            for (var s = 0; s < g.S; s++) sum += x[Index(g, n, c, s)];
            var mu = sum / g.M;
            double squares = 0;
            for (var n = 0; n < g.N; n++)
            for (var s = 0; s < g.S; s++) squares += (x[Index(g, n, c, s)] - mu) * (x[Index(g, n, c, s)] - mu);
            var sigma2 = squares / g.M;
            var inverseStd = 1 / Math.Sqrt(sigma2 + g.Epsilon);
            for (var n = 0; n < g.N; n++)
            for (var s = 0; s < g.S; s++)
            {
                var i = Index(g, n, c, s);
                y[i] = (float)(gamma[c] * (x[i] - mu) * inverseStd + beta[c]);
            }
            (mean[c], variance[c]) = ((float)mu, (float)sigma2);
        }
    }

    public static void ForwardInference(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVariance, Span<float> y, BatchNormGeometry g)
    {
        g.Validate();
        for (var n = 0; n < g.N; n++)
        for (var c = 0; c < g.C; c++)
        for (var s = 0; s < g.S; s++)
        {
            var i = Index(g, n, c, s);
            y[i] = (float)(gamma[c] * (x[i] - (double)runningMean[c]) / Math.Sqrt(runningVariance[c] + (double)g.Epsilon) + beta[c]);
        }
    }

    /// <summary>dx overwritten (skipped when empty); dgamma and dbeta accumulated.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> variance, Span<float> dx, Span<float> dgamma, Span<float> dbeta, BatchNormGeometry g)
    {
        g.Validate();
        for (var c = 0; c < g.C; c++)
        {
            var inverseStd = 1 / Math.Sqrt(variance[c] + (double)g.Epsilon);
            double sumDy = 0, sumDyXhat = 0;
            for (var n = 0; n < g.N; n++)
            for (var s = 0; s < g.S; s++)
            {
                var i = Index(g, n, c, s);
                sumDy += dy[i];
                sumDyXhat += dy[i] * (x[i] - (double)mean[c]) * inverseStd;
            }
            dgamma[c] += (float)sumDyXhat;
            dbeta[c] += (float)sumDy;
            if (dx.IsEmpty) continue;
            for (var n = 0; n < g.N; n++)
            for (var s = 0; s < g.S; s++)
            {
                var i = Index(g, n, c, s);
                var xhat = (x[i] - (double)mean[c]) * inverseStd;
                dx[i] = (float)(gamma[c] * inverseStd * (dy[i] - sumDy / g.M - xhat * sumDyXhat / g.M));
            }
        }
    }

    private static int Index(BatchNormGeometry g, int n, int c, int s) => (n * g.C + c) * g.S + s;
}
