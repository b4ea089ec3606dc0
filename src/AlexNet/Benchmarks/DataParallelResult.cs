namespace AlexNet.Benchmarks;

/// <summary>
/// What <see cref="DataParallelBenchmark"/> measured, over all ranks: images per second of the ranks together and of
/// each, and per training step the bytes of gradients reduced (each gradient once: the payload, not what the
/// algorithm moves), the seconds spent inside the reductions (waiting for other ranks included), the part of them spent
/// moving and adding data once every rank was there, the part the training thread waited for after its backward pass,
/// and the forward and backward compute. Times are means over the timed steps and the ranks.
/// </summary>
public sealed record DataParallelResult(
    string Architecture,
    string Backend,
    string Isa,
    IReadOnlyList<string> DelegatedLayers,
    int Ranks,
    int ThreadsPerRank,
    int Batch,
    int Steps,
    int Warmup,
    double TrainImagesPerSecond,
    IReadOnlyList<double> RankImagesPerSecond,
    double SecondsPerStep,
    double ComputeSecondsPerStep,
    long AllReduceBytesPerStep,
    int Buckets,
    double AllReduceSecondsPerStep,
    double AllReduceTransferSecondsPerStep,
    double ExposedAllReduceSecondsPerStep,
    IReadOnlyList<long> PeakMemoryBytes)
{
    /// <summary>Images each rank computes per step.</summary>
    public int RankBatch => Batch / Ranks;

    /// <summary>Share of the reduction time that overlapped backward (1 with nothing to reduce).</summary>
    public double HiddenShare => AllReduceSecondsPerStep <= 0 ? 1 : Math.Clamp(1 - ExposedAllReduceSecondsPerStep / AllReduceSecondsPerStep, 0, 1);
}
