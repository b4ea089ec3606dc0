using AlexNet.Data;
using AlexNet.Data.Sources;
using AlexNet.Data.Transforms;

namespace AlexNet.Training;

/// <summary>Data statistics of a run, saved beside it (data-stats.json) so that the run can be reproduced.</summary>
public sealed record DataStatistics(
    string Data,
    string Layout,
    int TrainImages,
    int ValidationImages,
    int SkippedBadImages,
    float[] Mean,
    float[] Std,
    PcaStatistics? Pca);

/// <summary>Batches for training and evaluation, with the preprocessing a checkpoint must record.</summary>
public sealed record PreparedData(
    IBatchProvider Train,
    IBatchProvider? Validation,
    IBatchProvider? Test,
    Preprocessing Preprocessing,
    DataStatistics Statistics,
    IReadOnlyList<BadSample> BadImages);
