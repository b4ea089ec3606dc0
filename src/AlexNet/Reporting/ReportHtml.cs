using System.Globalization;
using System.Text;
using AlexNet.Checkpoints;
using AlexNet.Models;
using AlexNet.Training;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>
/// Renders a <see cref="RunReport"/> as one self-contained HTML file: inline style, inline SVG charts and
/// PNG data URIs, no script and no external resource. The markup is also well-formed XML (XHTML syntax),
/// and the same report always renders to the same bytes.
/// </summary>
public static class ReportHtml
{
    /// <summary>Writes the report atomically and returns the full path written.</summary>
    public static string Write(RunReport report, string path)
    {
        var html = Render(report);
        AtomicFile.Write(path, stream => stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(html)));
        return Path.GetFullPath(path);
    }

    public static string Render(RunReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\"><head><meta charset=\"utf-8\"/>");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>");
        html.Append($"<title>Training report · {Escape(report.Title)}</title><style>{ReportStyle.Css}</style></head><body><main>");
        AppendHeader(html, report);
        AppendTiles(html, report);
        AppendDetails(html, report);
        html.Append(TrainingCurvesHtml.Render(report.History, report.CheckpointEpoch));
        if (report.Evaluation is { } evaluation)
        {
            html.Append(EvaluationHtml.Render(report, evaluation));
        }
        else
        {
            html.Append("<section id=\"no-evaluation\"><h2>Evaluation</h2><p class=\"lead\">The run's data has neither a validation nor a test split, so the checkpoint was not evaluated.</p></section>");
        }
        html.Append($"<footer>Written by <code>alexnet report</code> from metrics.jsonl, run.json and {Escape(report.CheckpointFile)} of run {Escape(report.Title)}.</footer>");
        html.Append("</main></body></html>\n");
        return html.ToString();
    }

    private static void AppendHeader(StringBuilder html, RunReport report)
    {
        var model = report.Model;
        html.Append($"<header><h1>Training report · {Escape(report.Title)}</h1><p class=\"subtitle\">");
        html.Append(Escape($"AlexNet {model.Architecture.ToName()} · {Count(report.ParameterCount)} parameters · input {model.InputChannels}×{model.InputSize}×{model.InputSize} · {Count(model.Classes)} classes · data {report.Description.Data.Data}"));
        html.Append("</p></header>");
    }

    private static void AppendTiles(StringBuilder html, RunReport report)
    {
        var last = report.History[^1];
        html.Append("<div class=\"tiles\">");
        Tile(html, "epochs", Count(last.Epoch), $"best checkpoint: epoch {report.CheckpointEpoch}");
        if (report.Evaluation is { } evaluation)
        {
            var split = EvaluationHtml.SplitName(evaluation.Split);
            Tile(html, $"{split} top-1", Percent(evaluation.Result.Top1, 2), $"error {Percent(1 - evaluation.Result.Top1, 2)}");
            Tile(html, $"{split} top-5", Percent(evaluation.Result.Top5, 2), $"error {Percent(1 - evaluation.Result.Top5, 2)}");
            Tile(html, $"{split} loss", Fixed(evaluation.Result.Loss, 4), $"{Count(evaluation.Result.Count)} images");
        }
        Tile(html, "final train top-1", Percent(last.TrainTop1, 2), $"train loss {Fixed(last.TrainLoss, 4)}");
        var seconds = report.History.Sum(m => m.Seconds);
        Tile(html, "training time", Duration(seconds), $"{Fixed(report.History.Average(m => m.ImagesPerSec), 0)} images/s on average");
        html.Append("</div>");
    }

    private static void Tile(StringBuilder html, string label, string value, string detail) =>
        html.Append($"<div class=\"tile\"><div class=\"label\">{Escape(label)}</div><div class=\"value\">{Escape(value)}</div><div class=\"detail\">{Escape(detail)}</div></div>");

    private static void AppendDetails(StringBuilder html, RunReport report)
    {
        var recipe = report.Description.Training;
        var data = report.Description.Data;
        var optimizer = recipe.Optimizer == OptimizerKind.Adam
            ? string.Create(CultureInfo.InvariantCulture, $"Adam (β₁ {recipe.AdamSettings.Beta1}, β₂ {recipe.AdamSettings.Beta2}), weight decay {recipe.AdamSettings.WeightDecay}")
            : string.Create(CultureInfo.InvariantCulture, $"SGD, momentum {recipe.SgdSettings.Momentum}{(recipe.SgdSettings.Nesterov ? " (Nesterov)" : "")}, weight decay {recipe.SgdSettings.WeightDecay}");
        var schedule = recipe.ScheduleSettings;
        var scheduleText = schedule.Kind switch
        {
            Optim.ScheduleKind.Step => string.Create(CultureInfo.InvariantCulture, $"step: ×{schedule.Gamma} every {schedule.StepSize} epochs"),
            Optim.ScheduleKind.Plateau => string.Create(CultureInfo.InvariantCulture, $"plateau: ×{schedule.Factor} after {schedule.Patience} epochs without improvement"),
            _ => "constant",
        };
        var rows = new List<(string, string)>
        {
            ("optimizer", optimizer),
            ("initial learning rate", recipe.LearningRate.ToString("G", CultureInfo.InvariantCulture)),
            ("schedule", scheduleText),
            ("batch size", Count(recipe.BatchSize)),
            ("epochs", Count(report.History[^1].Epoch)),
            ("seed", recipe.Seed.ToString(CultureInfo.InvariantCulture)),
            ("best checkpoint", $"epoch {report.CheckpointEpoch}, by {(recipe.BestBy == BestBy.Top1 ? "highest top-1" : "lowest loss")} ({(report.History.Any(m => m.ValLoss is not null) ? "validation" : "training")} figures)"),
        };
        var dataRows = new List<(string, string)> { ("data", data.Data) };
        if (data.Layout is { } layout) dataRows.Add(("layout", layout.ToString()));
        if (report.Statistics is { } statistics)
        {
            if (data.Layout is null) dataRows.Add(("layout", statistics.Layout));
            dataRows.Add(("training images", Count(statistics.TrainImages)));
            dataRows.Add(("validation images", statistics.ValidationImages > 0 ? Count(statistics.ValidationImages) : "none"));
            if (statistics.SkippedBadImages > 0) dataRows.Add(("skipped bad images", Count(statistics.SkippedBadImages)));
            dataRows.Add(("normalization", $"mean {Vector(statistics.Mean)}, std {Vector(statistics.Std)}"));
            dataRows.Add(("PCA lighting", statistics.Pca is null ? "off" : "on (α ~ N(0, 0.1))"));
        }
        if (recipe.ValidationFraction > 0 && report.Statistics is not { ValidationImages: 0 }) dataRows.Add(("held out for validation", Percent(recipe.ValidationFraction, 0) + " of the training images (when the data has no validation split)"));
        if (report.Evaluation is { } evaluation) dataRows.Add(("evaluated on", evaluation.DataName));
        html.Append("<section id=\"run\"><h2>Run</h2><div class=\"details\">");
        Table(html, "Recipe", rows);
        Table(html, "Data", dataRows);
        html.Append("</div></section>");
    }

    private static void Table(StringBuilder html, string caption, IEnumerable<(string Name, string Value)> rows)
    {
        html.Append($"<div><h3>{Escape(caption)}</h3><table>");
        foreach (var (name, value) in rows) html.Append($"<tr><th>{Escape(name)}</th><td>{Escape(value)}</td></tr>");
        html.Append("</table></div>");
    }

    private static string Vector(IEnumerable<float> values) => "(" + string.Join(", ", values.Select(v => v.ToString("F3", CultureInfo.InvariantCulture))) + ")";

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F0} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:F1} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:F1} h"),
    };
}
