using System.Text;
using AlexNet.Training;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>
/// The training-curves section: loss, top-1 and top-5 for training and validation, and the learning rate on
/// its own chart (logarithmic once it spans a decade), followed by the per-epoch figures as a table.
/// </summary>
public static class TrainingCurvesHtml
{
    public static string Render(IReadOnlyList<EpochMetrics> history, int bestEpoch)
    {
        var epochs = history.Select(m => m.Epoch).ToList();
        ChartSeries Train(Func<EpochMetrics, double?> value) => new("train", ReportStyle.TrainColor, history.Select(value).ToList());
        ChartSeries Validation(Func<EpochMetrics, double?> value) => new("validation", ReportStyle.ValidationColor, history.Select(value).ToList());
        LineChart[] charts =
        [
            new("chart-loss", "Loss (cross-entropy)", "loss", epochs, [Train(m => m.TrainLoss), Validation(m => m.ValLoss)], FloorValue: 0),
            new("chart-top1", "Top-1 accuracy", "top-1 accuracy", epochs, [Train(m => m.TrainTop1), Validation(m => m.ValTop1)], ValueFormat.Percent, FloorValue: 0, CeilingValue: 1),
            new("chart-top5", "Top-5 accuracy", "top-5 accuracy", epochs, [Train(m => m.TrainTop5), Validation(m => m.ValTop5)], ValueFormat.Percent, FloorValue: 0, CeilingValue: 1),
            new("chart-lr", "Learning rate", "learning rate", epochs, [new ChartSeries("learning rate", ReportStyle.LearningRateColor, history.Select(m => (double?)m.Lr).ToList(), Stepped: true)], LogScale: true, FloorValue: 0),
        ];
        var html = new StringBuilder();
        html.Append("<section id=\"curves\"><h2>Training curves</h2>");
        html.Append("<p class=\"lead\">Training figures are running averages over each epoch's mini-batches (with dropout and augmentation); validation figures are measured after the epoch. The learning rate is the one each epoch trained with.</p>");
        html.Append("<div class=\"charts\">");
        foreach (var chart in charts) html.Append(LineChartSvg.Render(chart));
        html.Append("</div>");
        AppendEpochTable(html, history, bestEpoch);
        html.Append("</section>");
        return html.ToString();
    }

    private static void AppendEpochTable(StringBuilder html, IReadOnlyList<EpochMetrics> history, int bestEpoch)
    {
        html.Append("<details><summary>Figures per epoch</summary><table class=\"epochs\"><thead><tr>");
        foreach (var heading in new[] { "epoch", "learning rate", "train loss", "train top-1", "train top-5", "val loss", "val top-1", "val top-5", "images/s", "seconds" })
        {
            html.Append($"<th class=\"num\">{heading}</th>");
        }
        html.Append("</tr></thead><tbody>");
        foreach (var m in history)
        {
            html.Append(m.Epoch == bestEpoch ? "<tr class=\"best\">" : "<tr>");
            string[] cells =
            [
                m.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), m.Lr.ToString("G4", System.Globalization.CultureInfo.InvariantCulture),
                Fixed(m.TrainLoss, 4), Percent(m.TrainTop1, 2), Optional(m.TrainTop5, v => Percent(v, 2)),
                Optional(m.ValLoss, v => Fixed(v, 4)), Optional(m.ValTop1, v => Percent(v, 2)), Optional(m.ValTop5, v => Percent(v, 2)),
                Fixed(m.ImagesPerSec, 0), Fixed(m.Seconds, 1),
            ];
            foreach (var cell in cells) html.Append($"<td class=\"num\">{Escape(cell)}</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (bestEpoch > 0) html.Append($"<p class=\"note\">The highlighted row is epoch {bestEpoch}, the checkpoint evaluated below.</p>");
        html.Append("</details>");
    }

    private static string Optional(double? value, Func<double, string> format) => value is { } v ? format(v) : "–";
}
