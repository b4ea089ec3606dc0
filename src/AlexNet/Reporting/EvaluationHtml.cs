using System.Text;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>
/// The sections about the evaluated checkpoint: the confusion matrix (counts and row percentages, left out
/// for many classes), per-class accuracy beside the most confused pairs, and the sample predictions.
/// </summary>
public static class EvaluationHtml
{
    /// <summary>Up to this many classes every class gets a bar; beyond it only the weakest and the strongest.</summary>
    public const int MaxClassBars = 50;

    private const int ExtremeClasses = 20;

    /// <summary>Pairs listed: beside the per-class bars when the grid is drawn, in its place (more of them) when not.</summary>
    private const int FewClassPairs = 12, ManyClassPairs = 30;

    public static string Render(RunReport report, ReportEvaluation evaluation)
    {
        var names = report.ClassNames;
        var confusion = evaluation.Result.Confusion;
        var split = SplitName(evaluation.Split);
        var html = new StringBuilder();

        html.Append("<section id=\"confusion\"><h2>Confusion matrix</h2>");
        html.Append($"<p class=\"lead\">{Escape(report.CheckpointFile)} (epoch {report.CheckpointEpoch}) on the {split} split, {Count(evaluation.Result.Count)} images. Rows are true classes; each row of the right-hand map sums to 100%.</p>");
        if (names.Count <= ConfusionHeatMapSvg.MaxClasses)
        {
            html.Append("<div class=\"heatmaps\">");
            html.Append(ConfusionHeatMapSvg.Render("confusion-counts", names, confusion, ConfusionView.Counts));
            html.Append(ConfusionHeatMapSvg.Render("confusion-normalized", names, confusion, ConfusionView.RowPercent));
            html.Append("</div>");
        }
        else
        {
            html.Append($"<p class=\"note\">{Count(names.Count)} classes are too many for a readable grid; these are the pairs confused most often.</p>");
            html.Append(ConfusedPairsHtml.Render("confused-pairs", ConfusedPair.Top(confusion, ManyClassPairs), names));
        }
        html.Append("</section>");

        var few = names.Count <= ConfusionHeatMapSvg.MaxClasses;
        html.Append($"<section id=\"per-class\"><h2>Per-class accuracy{(few ? " and most confused pairs" : "")}</h2>");
        html.Append($"<p class=\"lead\">Top-1 accuracy of each true class on the {split} split (the dashed line is the overall top-1){(few ? ", and the pairs of classes confused most often" : "")}.</p>");
        html.Append("<div class=\"side-by-side\">");
        var perClass = evaluation.Result.PerClassAccuracy();
        var all = Enumerable.Range(0, names.Count).ToList();
        if (names.Count <= MaxClassBars)
        {
            html.Append(ClassAccuracySvg.Render("class-accuracy", "Top-1 accuracy by class", names, all, confusion, evaluation.Result.Top1));
        }
        else
        {
            var ranked = all.Where(c => !double.IsNaN(perClass[c])).OrderBy(c => perClass[c]).ThenBy(c => c).ToList();
            html.Append(ClassAccuracySvg.Render("class-accuracy-lowest", $"The {ExtremeClasses} weakest classes", names, ranked.Take(ExtremeClasses).ToList(), confusion, evaluation.Result.Top1));
            html.Append(ClassAccuracySvg.Render("class-accuracy-highest", $"The {ExtremeClasses} strongest classes", names, ranked.AsEnumerable().Reverse().Take(ExtremeClasses).ToList(), confusion, evaluation.Result.Top1));
        }
        if (few)
        {
            html.Append("<div><h3>Most confused pairs</h3>");
            html.Append(ConfusedPairsHtml.Render("confused-pairs", ConfusedPair.Top(confusion, FewClassPairs), names));
            html.Append("</div>");
        }
        html.Append("</div></section>");

        if (evaluation.Samples.Count > 0 || evaluation.Mistakes.Count > 0)
        {
            html.Append("<section id=\"predictions\"><h2>Sample predictions</h2>");
            html.Append($"<p class=\"lead\">Network inputs from the {split} split (after preprocessing) with the five most probable classes; the true class is in green. A green top edge marks a correct top-1 guess, a red one a miss. Images are drawn at random with a fixed seed, so the same run always shows the same images.</p>");
            if (evaluation.Samples.Count > 0) html.Append(SampleGridHtml.Render("samples-random", evaluation.Samples, names));
            if (evaluation.Mistakes.Count > 0)
            {
                html.Append("<h3>Misclassified images</h3>");
                html.Append(SampleGridHtml.Render("samples-wrong", evaluation.Mistakes, names));
            }
            html.Append("</section>");
        }
        return html.ToString();
    }

    public static string SplitName(EvaluatedSplit split) => split == EvaluatedSplit.Validation ? "validation" : "test";
}
