namespace AlexNet.Training;

/// <summary>
/// One line of a run's metrics.jsonl. Validation fields are null when there is no validation data;
/// TrainTop5 is null in runs written before it was recorded.
/// </summary>
public sealed record EpochMetrics(
    int Epoch,
    double Lr,
    double TrainLoss,
    double TrainTop1,
    double? ValLoss,
    double? ValTop1,
    double? ValTop5,
    double ImagesPerSec,
    double Seconds,
    double? TrainTop5 = null);

/// <summary>
/// Progress within an epoch, reported every few steps. In a data-parallel run the figures cover all
/// <see cref="Ranks"/> together (images/s of the whole group).
/// </summary>
public sealed record StepProgress(int Epoch, int Epochs, int Batch, int Batches, double RunningLoss, double RunningTop1, double ImagesPerSec,
    int Ranks = 1);
