using AlexNet.Data.Images;

namespace AlexNet.Reporting;

/// <summary>
/// One evaluated image: its position in the evaluation order, its true class, a thumbnail rebuilt from the
/// network input, and the top-5 classes by softmax probability, most likely first.
/// </summary>
public sealed record SamplePrediction(int Position, int Label, Image Thumbnail, IReadOnlyList<ClassProbability> Top)
{
    public bool Correct => Top.Count > 0 && Top[0].Class == Label;

    public bool LabelInTop => Top.Any(p => p.Class == Label);
}
