using AlexNet.Training;

namespace AlexNet.Reporting;

/// <summary>
/// The best checkpoint evaluated on one split: the aggregate result (loss, top-1, top-5, confusion), a
/// seeded random sample of predictions, and a seeded random sample of the misclassified images.
/// </summary>
public sealed record ReportEvaluation(
    EvaluatedSplit Split,
    string DataName,
    EvaluationResult Result,
    IReadOnlyList<SamplePrediction> Samples,
    IReadOnlyList<SamplePrediction> Mistakes);
