using System.Globalization;
using AlexNet.Training;

namespace AlexNet.Cli.Display;

/// <summary>The one-line summary of an epoch, the same in plain logs and under the progress bars.</summary>
public static class EpochLine
{
    public static string Format(EpochMetrics m) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {m.Epoch}  lr {m.Lr:G4}  train loss {m.TrainLoss:F4} top-1 {m.TrainTop1:P2}  val loss {Show(m.ValLoss, "F4")} top-1 {Show(m.ValTop1, "P2")} top-5 {Show(m.ValTop5, "P2")}  {m.ImagesPerSec:F0} img/s  {m.Seconds:F1} s");

    public static string Format(StepProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"epoch {p.Epoch}/{p.Epochs}  batch {p.Batch}/{p.Batches}  loss {p.RunningLoss:F4}  top-1 {p.RunningTop1:P2}  {p.ImagesPerSec:F0} img/s{Ranks(p)}");

    /// <summary>Where several ranks train together, says so: the images/s are theirs together.</summary>
    public static string Ranks(StepProgress p) => p.Ranks > 1 ? string.Create(CultureInfo.InvariantCulture, $" on {p.Ranks} ranks") : "";

    private static string Show(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
}
