namespace AlexNet.Benchmarks;

/// <summary>
/// What one benchmark run measured. Images per second count the images of the timed steps only;
/// <see cref="PeakMemoryBytes"/> is the process's resident-set high-water mark (VmHWM) at the end of the run,
/// so it covers inference and training together. <see cref="Isa"/> is the instruction set the backend's kernels ran
/// with (<c>avx512</c>, <c>avx2</c>, <c>scalar</c>); <see cref="DelegatedLayers"/> the layers a native backend handed
/// to the managed kernels. The training figures are null, and <see cref="TrainingSkipped"/> says why, when the network
/// cannot train at the batch size (batch normalization on a batch of one image). <see cref="TrainingBackend"/> and
/// <see cref="InferenceBackend"/> name the backend that ran each: the default backend picks one per batch size and mode.
/// </summary>
public sealed record BenchmarkResult(
    string Architecture,
    string Backend,
    int Batch,
    int Threads,
    int Steps,
    int Warmup,
    double? TrainImagesPerSecond,
    double InferImagesPerSecond,
    double? TrainSecondsPerStep,
    double InferSecondsPerBatch,
    long? PeakMemoryBytes,
    string? Data,
    string Isa,
    IReadOnlyList<string> DelegatedLayers,
    StepProfile? Profile,
    string TrainingBackend,
    string InferenceBackend,
    string? TrainingSkipped = null);
