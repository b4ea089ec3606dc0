namespace AlexNet.Kernels;

/// <summary>
/// Batch normalization (Ioffe and Szegedy 2015) as PyTorch's BatchNorm2d/BatchNorm1d computes it, per channel c over
/// the M = N·S values of a batch:
///   training:  μ = Σx / M,  σ² = Σ(x − μ)² / M (biased),  y = γ·(x − μ) / √(σ² + ε) + β
///   inference: y = γ·(x − running_mean) / √(running_var + ε) + β
///   running statistics (PyTorch's momentum m; Keras's momentum is 1 − m): r_μ ← (1 − m)·r_μ + m·μ,
///   r_σ² ← (1 − m)·r_σ² + m·σ²·M / (M − 1) (the unbiased variance, as PyTorch keeps it)
///   backward, with x̂ = (x − μ) / √(σ² + ε):  dγ = Σ dy·x̂,  dβ = Σ dy,
///   dx = γ / √(σ² + ε) · (dy − dβ / M − x̂ · dγ / M)
/// Layouts: NCHW activations after a convolution (S = H·W, each channel a plane per sample), or (N, C) features after a
/// dense layer (S = 1, each channel a column). Planes are summed with SIMD within a plane and in double across
/// planes, one channel per task; columns are processed in strips of features, SIMD across features, one strip per
/// task. Memory bound: a few flops per element, so training forward reads x twice (mean, then deviations) and
/// backward recomputes x̂ from x rather than storing it. <see cref="BatchNormalizationReference"/> is the plain twin.
/// Legend: N batch, C channels, S positions per channel and sample, M = N·S.
/// </summary>
public static unsafe class BatchNormalization
{
    /// <summary>y, and the batch mean and biased variance of every channel (which backward and the running statistics need).</summary>
    public static void ForwardTraining(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> y,
        Span<float> mean, Span<float> variance, BatchNormGeometry g)
    {
        Check(g, x.Length, y.Length, gamma.Length, beta.Length, mean.Length, variance.Length);
        fixed (float* px = x, pg = gamma, pb = beta, py = y, pm = mean, pv = variance)
        {
            if (g.S == 1) BatchNormColumns.ForwardTraining(px, pg, pb, py, pm, pv, g);
            else BatchNormPlanes.ForwardTraining(px, pg, pb, py, pm, pv, g);
        }
    }

    /// <summary>y from the running statistics; nothing else is written.</summary>
    public static void ForwardInference(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, ReadOnlySpan<float> runningMean,
        ReadOnlySpan<float> runningVariance, Span<float> y, BatchNormGeometry g)
    {
        Check(g, x.Length, y.Length, gamma.Length, beta.Length, runningMean.Length, runningVariance.Length);
        // y = (x − r_μ)·scale + β with scale = γ / √(r_σ² + ε), computed once per channel.
        var scale = new float[g.C];
        for (var c = 0; c < g.C; c++) scale[c] = gamma[c] / MathF.Sqrt(runningVariance[c] + g.Epsilon);
        fixed (float* px = x, pb = beta, pm = runningMean, py = y, ps = scale)
        {
            if (g.S == 1) BatchNormColumns.ForwardInference(px, pm, ps, pb, py, g);
            else BatchNormPlanes.ForwardInference(px, pm, ps, pb, py, g);
        }
    }

    /// <summary>
    /// dx (overwritten; skipped when empty), dγ and dβ (accumulated) from the input, the output gradient and the batch
    /// statistics of the training forward pass.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> variance, Span<float> dx, Span<float> dgamma, Span<float> dbeta, BatchNormGeometry g)
    {
        Check(g, x.Length, dy.Length, gamma.Length, mean.Length, variance.Length, dgamma.Length, dbeta.Length);
        if (!dx.IsEmpty && dx.Length != g.Length) throw new ArgumentException($"Batch normalization {g}: dx has {dx.Length} values, expected {g.Length}.");
        fixed (float* px = x, pdy = dy, pg = gamma, pm = mean, pv = variance, pdx = dx, pdg = dgamma, pdb = dbeta)
        {
            if (g.S == 1) BatchNormColumns.Backward(px, pdy, pg, pm, pv, dx.IsEmpty ? null : pdx, pdg, pdb, g);
            else BatchNormPlanes.Backward(px, pdy, pg, pm, pv, dx.IsEmpty ? null : pdx, pdg, pdb, g);
        }
    }

    /// <summary>
    /// Folds a training batch's statistics into the running ones with PyTorch's momentum (Keras's 0.99 is 0.01 here);
    /// the variance is made unbiased with M / (M − 1), which needs M &gt; 1.
    /// </summary>
    public static void UpdateRunningStatistics(ReadOnlySpan<float> mean, ReadOnlySpan<float> variance, Span<float> runningMean,
        Span<float> runningVariance, float momentum, int count)
    {
        if (count < 2) throw new ArgumentException($"The running variance needs more than one value per channel, got {count}.");
        if (mean.Length != runningMean.Length || variance.Length != runningVariance.Length || mean.Length != variance.Length)
        {
            throw new ArgumentException("Batch and running statistics differ in length.");
        }
        var bessel = count / (count - 1f);
        var keep = 1 - momentum;
        for (var c = 0; c < mean.Length; c++)
        {
            runningMean[c] = keep * runningMean[c] + momentum * mean[c];
            runningVariance[c] = keep * runningVariance[c] + momentum * variance[c] * bessel;
        }
    }

    private static void Check(BatchNormGeometry g, int dataLength, int otherLength, params ReadOnlySpan<int> perChannel)
    {
        g.Validate();
        if (dataLength != g.Length || otherLength != g.Length)
        {
            throw new ArgumentException($"Batch normalization {g}: {dataLength} and {otherLength} values, expected {g.Length}.");
        }
        foreach (var length in perChannel)
        {
            if (length != g.C) throw new ArgumentException($"Batch normalization {g}: a per-channel array has {length} values, expected {g.C}.");
        }
    }
}
