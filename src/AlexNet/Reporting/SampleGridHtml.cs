using System.Text;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>
/// Sample predictions as a grid of cards, after the paper's Figure 4: the image, its true class, and the
/// five most probable classes as bars, the true class's bar highlighted; a card's frame says whether the
/// top-1 guess was right.
/// </summary>
public static class SampleGridHtml
{
    /// <summary>Displayed thumbnail side in CSS pixels; smaller images are enlarged without smoothing.</summary>
    public const int DisplaySide = 112;

    private const int BarsWidth = 164, RowHeight = 22, LabelCharacters = 19;

    public static string Render(string id, IReadOnlyList<SamplePrediction> samples, IReadOnlyList<string> classNames)
    {
        var html = new StringBuilder();
        html.Append($"<div class=\"samples\" id=\"{Escape(id)}\">");
        foreach (var sample in samples) AppendCard(html, sample, classNames);
        html.Append("</div>");
        return html.ToString();
    }

    private static void AppendCard(StringBuilder html, SamplePrediction sample, IReadOnlyList<string> classNames)
    {
        var truth = classNames[sample.Label];
        var verdict = sample.Correct ? "correct" : "wrong";
        var smoothing = Math.Max(sample.Thumbnail.Width, sample.Thumbnail.Height) < DisplaySide ? " pixelated" : "";
        html.Append($"<figure class=\"sample {verdict}\" data-position=\"{sample.Position}\" data-label=\"{sample.Label}\">");
        html.Append($"<img class=\"thumb{smoothing}\" src=\"{PngEncoder.DataUri(sample.Thumbnail)}\" width=\"{DisplaySide}\" height=\"{DisplaySide}\" alt=\"{Escape(truth)}\"/>");
        html.Append($"<figcaption><span class=\"mark\">{(sample.Correct ? "✓" : "✗")}</span> <span class=\"truth\" title=\"{Escape(truth)}\">{Escape(Truncate(truth, 24))}</span></figcaption>");
        var height = sample.Top.Count * RowHeight + 2;
        html.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"top5\" width=\"{BarsWidth}\" height=\"{height}\" viewBox=\"0 0 {BarsWidth} {height}\" role=\"img\" aria-label=\"top-5 predictions\">");
        for (var i = 0; i < sample.Top.Count; i++)
        {
            var (c, p) = (sample.Top[i].Class, sample.Top[i].Probability);
            var isTruth = c == sample.Label;
            var y = i * RowHeight;
            html.Append($"<g class=\"guess{(isTruth ? " truth" : "")}\" data-class=\"{c}\">");
            html.Append($"<text x=\"0\" y=\"{y + 11}\" class=\"guess-label\"><title>{Escape(classNames[c])}</title>{Escape(Truncate(classNames[c], LabelCharacters))}</text>");
            html.Append($"<text x=\"{BarsWidth}\" y=\"{y + 11}\" class=\"guess-value\" text-anchor=\"end\">{Percent(p)}</text>");
            html.Append($"<rect x=\"0\" y=\"{y + 14}\" width=\"{BarsWidth}\" height=\"5\" fill=\"#eef0f3\"/>");
            html.Append($"<rect x=\"0\" y=\"{y + 14}\" width=\"{Number(Math.Max(p * BarsWidth, 1))}\" height=\"5\" fill=\"{(isTruth ? "#2ca02c" : "#8c96a3")}\"/>");
            html.Append("</g>");
        }
        html.Append("</svg>");
        if (!sample.LabelInTop) html.Append("<p class=\"note\">true class not in the top 5</p>");
        html.Append("</figure>");
    }
}
