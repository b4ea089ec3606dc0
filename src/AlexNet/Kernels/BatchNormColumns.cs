using System.Numerics.Tensors;

namespace AlexNet.Kernels;

/// <summary>
/// <see cref="BatchNormalization"/> on (N, C) features after a dense layer (S = 1): a channel is a column, so a task
/// takes a strip of adjacent features and walks down the N rows with SIMD across the strip; inference takes rows.
/// Legend: N batch, C features, M = N.
/// </summary>
internal static unsafe class BatchNormColumns
{
    /// <summary>Features per task: a few KiB of running sums that stay in L1 while the rows stream past.</summary>
    private const int Strip = 256;

    public static void ForwardTraining(float* x, float* gamma, float* beta, float* y, float* mean, float* variance, BatchNormGeometry g)
    {
        var (ax, ag, ab, ay, am, av) = ((nint)x, (nint)gamma, (nint)beta, (nint)y, (nint)mean, (nint)variance);
        Parallel.For(0, Strips(g), strip =>
        {
            var (first, width) = Range(g, strip);
            var mu = Column(am, first, width);
            var sigma2 = Column(av, first, width);
            mu.Clear();
            for (var n = 0; n < g.N; n++) TensorPrimitives.Add(mu, Row(ax, g, n, first, width), mu);
            TensorPrimitives.Divide(mu, g.N, mu);
            Span<float> centered = stackalloc float[width];
            sigma2.Clear();
            for (var n = 0; n < g.N; n++)
            {
                TensorPrimitives.Subtract(Row(ax, g, n, first, width), mu, centered);
                TensorPrimitives.MultiplyAdd(centered, centered, sigma2, sigma2);
            }
            TensorPrimitives.Divide(sigma2, g.N, sigma2);
            Span<float> scale = stackalloc float[width];
            for (var j = 0; j < width; j++) scale[j] = ((float*)ag)[first + j] / MathF.Sqrt(sigma2[j] + g.Epsilon);
            var shift = Column(ab, first, width);
            for (var n = 0; n < g.N; n++)
            {
                var output = Row(ay, g, n, first, width);
                TensorPrimitives.Subtract(Row(ax, g, n, first, width), mu, output);
                TensorPrimitives.MultiplyAdd(output, scale, shift, output);
            }
        });
    }

    /// <param name="scale">γ / √(running variance + ε) per feature.</param>
    public static void ForwardInference(float* x, float* runningMean, float* scale, float* beta, float* y, BatchNormGeometry g)
    {
        var (ax, am, asc, ab, ay) = ((nint)x, (nint)runningMean, (nint)scale, (nint)beta, (nint)y);
        Parallel.For(0, g.N, n =>
        {
            var output = Row(ay, g, n, 0, g.C);
            TensorPrimitives.Subtract(Row(ax, g, n, 0, g.C), Column(am, 0, g.C), output);
            TensorPrimitives.MultiplyAdd(output, Column(asc, 0, g.C), Column(ab, 0, g.C), output);
        });
    }

    /// <param name="dx">Null when the input gradient is not wanted.</param>
    public static void Backward(float* x, float* dy, float* gamma, float* mean, float* variance, float* dx, float* dgamma, float* dbeta, BatchNormGeometry g)
    {
        var (ax, ady, ag, am, av, adx, adg, adb) = ((nint)x, (nint)dy, (nint)gamma, (nint)mean, (nint)variance, (nint)dx, (nint)dgamma, (nint)dbeta);
        Parallel.For(0, Strips(g), strip =>
        {
            var (first, width) = Range(g, strip);
            var mu = Column(am, first, width);
            Span<float> sumDy = stackalloc float[width];
            Span<float> sumDyCentered = stackalloc float[width];
            Span<float> centered = stackalloc float[width];
            sumDy.Clear();
            sumDyCentered.Clear();
            for (var n = 0; n < g.N; n++)
            {
                var gradient = Row(ady, g, n, first, width);
                TensorPrimitives.Add(sumDy, gradient, sumDy);
                TensorPrimitives.Subtract(Row(ax, g, n, first, width), mu, centered);
                TensorPrimitives.MultiplyAdd(gradient, centered, sumDyCentered, sumDyCentered);
            }
            // dx = slope·dy + slopeCentered·(x − μ) + offset, per feature (see BatchNormPlanes.Backward).
            Span<float> slope = stackalloc float[width];
            Span<float> slopeCentered = stackalloc float[width];
            Span<float> offset = stackalloc float[width];
            for (var j = 0; j < width; j++)
            {
                var inverseStd = 1 / Math.Sqrt(((float*)av)[first + j] + (double)g.Epsilon);
                ((float*)adg)[first + j] += (float)(sumDyCentered[j] * inverseStd);
                ((float*)adb)[first + j] += sumDy[j];
                var gammaInverse = ((float*)ag)[first + j] * inverseStd;
                slope[j] = (float)gammaInverse;
                slopeCentered[j] = (float)(-gammaInverse * inverseStd * inverseStd * sumDyCentered[j] / g.M);
                offset[j] = (float)(-gammaInverse * sumDy[j] / g.M);
            }
            if (adx == 0) return;
            for (var n = 0; n < g.N; n++)
            {
                var inputGradient = Row(adx, g, n, first, width);
                TensorPrimitives.Subtract(Row(ax, g, n, first, width), mu, centered);
                TensorPrimitives.MultiplyAdd(centered, slopeCentered, offset, inputGradient);
                TensorPrimitives.MultiplyAdd(Row(ady, g, n, first, width), slope, inputGradient, inputGradient);
            }
        });
    }

    private static int Strips(BatchNormGeometry g) => (g.C + Strip - 1) / Strip;

    private static (int First, int Width) Range(BatchNormGeometry g, int strip) => (strip * Strip, Math.Min(Strip, g.C - strip * Strip));

    private static Span<float> Row(nint data, BatchNormGeometry g, int n, int first, int width) => new((float*)data + (long)n * g.C + first, width);

    private static Span<float> Column(nint data, int first, int width) => new((float*)data + first, width);
}
