using System.Globalization;
using System.Text;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>
/// Per-class top-1 accuracy as horizontal bars, one row per class in the given order, with the count behind
/// each figure and a dashed line at the overall top-1 for reference.
/// </summary>
public static class ClassAccuracySvg
{
    private const int LabelCharacters = 22;
    private const double BarWidth = 280, ValueWidth = 112, Row = 20, Top = 44, Bottom = 28;

    public static string Render(string id, string title, IReadOnlyList<string> classNames, IReadOnlyList<int> classes, int[][] confusion, double overall)
    {
        var labelWidth = Math.Min(LabelCharacters, classes.Select(c => classNames[c].Length).DefaultIfEmpty(1).Max()) * 6.6 + 12;
        var left = labelWidth;
        var width = left + BarWidth + ValueWidth;
        var height = Top + classes.Count * Row + Bottom;
        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"bars\" id=\"{Escape(id)}\" width=\"{Number(width)}\" height=\"{Number(height)}\" viewBox=\"0 0 {Number(width)} {Number(height)}\" role=\"img\" aria-label=\"{Escape(title)}\">");
        svg.Append($"<text class=\"chart-title\" x=\"0\" y=\"16\">{Escape(title)}</text>");
        var bottom = Top + classes.Count * Row;
        foreach (var tick in new[] { 0, 0.25, 0.5, 0.75, 1 })
        {
            var x = Number(left + tick * BarWidth);
            svg.Append($"<line class=\"grid\" x1=\"{x}\" x2=\"{x}\" y1=\"{Number(Top - 4)}\" y2=\"{Number(bottom)}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{x}\" y=\"{Number(bottom + 14)}\" text-anchor=\"middle\">{tick * 100:0}%</text>");
        }
        for (var row = 0; row < classes.Count; row++)
        {
            var c = classes[row];
            var total = confusion[c].Sum();
            var correct = confusion[c][c];
            var accuracy = total > 0 ? (double)correct / total : double.NaN;
            var y = Top + row * Row;
            svg.Append($"<g class=\"class-bar\" data-class=\"{c}\" data-correct=\"{correct}\" data-total=\"{total}\">");
            svg.Append($"<text class=\"class-label\" x=\"{Number(left - 8)}\" y=\"{Number(y + Row / 2)}\" dy=\"0.32em\" text-anchor=\"end\"><title>{Escape(classNames[c])}</title>{Escape(Truncate(classNames[c], LabelCharacters))}</text>");
            if (total > 0)
            {
                svg.Append($"<rect x=\"{Number(left)}\" y=\"{Number(y + 3)}\" width=\"{Number(Math.Max(accuracy * BarWidth, 0.5))}\" height=\"{Number(Row - 6)}\" fill=\"#4c78a8\"><title>{Escape(classNames[c])}: {correct} of {total} correct</title></rect>");
            }
            var figure = total > 0 ? $"{Percent(accuracy)} ({correct.ToString(CultureInfo.InvariantCulture)}/{total.ToString(CultureInfo.InvariantCulture)})" : "no images";
            svg.Append($"<text class=\"value\" x=\"{Number(left + BarWidth + 8)}\" y=\"{Number(y + Row / 2)}\" dy=\"0.32em\">{figure}</text>");
            svg.Append("</g>");
        }
        if (double.IsFinite(overall))
        {
            var x = Number(left + overall * BarWidth);
            svg.Append($"<line x1=\"{x}\" x2=\"{x}\" y1=\"{Number(Top - 6)}\" y2=\"{Number(bottom)}\" stroke=\"#d62728\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>");
            svg.Append($"<text class=\"tick\" x=\"{x}\" y=\"{Number(Top - 9)}\" text-anchor=\"middle\" fill=\"#d62728\">overall {Percent(overall)}</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }
}
