using System.Numerics.Tensors;

namespace AlexNet.Kernels;

/// <summary>
/// <see cref="BatchNormalization"/> on NCHW activations (S &gt; 1): one task per channel in training, whose N planes of
/// S contiguous values are summed with SIMD and added up in double; one task per sample in inference.
/// Legend: N batch, C channels, S = H·W positions per plane, M = N·S.
/// </summary>
internal static unsafe class BatchNormPlanes
{
    public static void ForwardTraining(float* x, float* gamma, float* beta, float* y, float* mean, float* variance, BatchNormGeometry g)
    {
        var (ax, ag, ab, ay, am, av) = ((nint)x, (nint)gamma, (nint)beta, (nint)y, (nint)mean, (nint)variance);
        Parallel.For(0, g.C, c =>
        {
            double sum = 0;
            for (var n = 0; n < g.N; n++) sum += TensorPrimitives.Sum(Plane(ax, g, n, c));
            var mu = (float)(sum / g.M);
            double squares = 0;
            for (var n = 0; n < g.N; n++) squares += BatchNormSpans.SquaredDeviations(Plane(ax, g, n, c), mu);
            var sigma2 = (float)(squares / g.M);
            var scale = ((float*)ag)[c] / MathF.Sqrt(sigma2 + g.Epsilon);
            for (var n = 0; n < g.N; n++) BatchNormSpans.Normalize(Plane(ax, g, n, c), Plane(ay, g, n, c), mu, scale, ((float*)ab)[c]);
            ((float*)am)[c] = mu;
            ((float*)av)[c] = sigma2;
        });
    }

    /// <param name="scale">γ / √(running variance + ε) per channel.</param>
    public static void ForwardInference(float* x, float* runningMean, float* scale, float* beta, float* y, BatchNormGeometry g)
    {
        var (ax, am, asc, ab, ay) = ((nint)x, (nint)runningMean, (nint)scale, (nint)beta, (nint)y);
        Parallel.For(0, g.N, n =>
        {
            for (var c = 0; c < g.C; c++)
            {
                BatchNormSpans.Normalize(Plane(ax, g, n, c), Plane(ay, g, n, c), ((float*)am)[c], ((float*)asc)[c], ((float*)ab)[c]);
            }
        });
    }

    /// <param name="dx">Null when the input gradient is not wanted.</param>
    public static void Backward(float* x, float* dy, float* gamma, float* mean, float* variance, float* dx, float* dgamma, float* dbeta, BatchNormGeometry g)
    {
        var (ax, ady, ag, am, av, adx, adg, adb) = ((nint)x, (nint)dy, (nint)gamma, (nint)mean, (nint)variance, (nint)dx, (nint)dgamma, (nint)dbeta);
        Parallel.For(0, g.C, c =>
        {
            var mu = ((float*)am)[c];
            double sumDy = 0, sumDyCentered = 0;
            for (var n = 0; n < g.N; n++)
            {
                var (a, b) = BatchNormSpans.GradientSums(Plane(ax, g, n, c), Plane(ady, g, n, c), mu);
                (sumDy, sumDyCentered) = (sumDy + a, sumDyCentered + b);
            }
            var inverseStd = 1 / Math.Sqrt(((float*)av)[c] + (double)g.Epsilon);
            ((float*)adg)[c] += (float)(sumDyCentered * inverseStd);
            ((float*)adb)[c] += (float)sumDy;
            if (adx == 0) return;
            // dx = γ·inv·dy − γ·inv³·Σdy(x − μ)/M · (x − μ) − γ·inv·Σdy/M
            var gammaInverse = ((float*)ag)[c] * inverseStd;
            var (slope, centered, offset) = ((float)gammaInverse, (float)(-gammaInverse * inverseStd * inverseStd * sumDyCentered / g.M),
                (float)(-gammaInverse * sumDy / g.M));
            for (var n = 0; n < g.N; n++)
            {
                BatchNormSpans.InputGradient(Plane(ax, g, n, c), Plane(ady, g, n, c), Plane(adx, g, n, c), mu, slope, centered, offset);
            }
        });
    }

    private static Span<float> Plane(nint data, BatchNormGeometry g, int n, int c) => new((float*)data + ((long)n * g.C + c) * g.S, g.S);
}
