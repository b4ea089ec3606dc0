namespace AlexNet.Benchmarks;

/// <summary>
/// How <see cref="StepBenchmark"/> times a network: the batch size, the untimed warm-up steps and the timed
/// steps (the same count for inference and for training), the seed of the synthetic input, and whether to
/// record a per-layer profile of the training steps.
/// </summary>
public sealed record BenchmarkOptions(int Batch = 64, int Steps = 5, int Warmup = 1, ulong Seed = 1, bool Profile = false)
{
    /// <summary>Throws an <see cref="AlexNetException"/> naming the first out-of-range option.</summary>
    public BenchmarkOptions Validate()
    {
        if (Batch < 1) throw new AlexNetException($"--batch must be at least 1, got {Batch}.");
        if (Steps < 1) throw new AlexNetException($"--steps must be at least 1, got {Steps}.");
        if (Warmup < 0) throw new AlexNetException($"--warmup must be 0 or more, got {Warmup}.");
        return this;
    }
}
