using System.Globalization;
using System.Text;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>
/// A confusion matrix as an SVG heat map: true classes down the left, predicted classes across the top,
/// one shaded square per pair with its number printed when the squares are large enough, a hover title on
/// every square, and a colour bar. Each square carries its row, column and count as data attributes.
/// </summary>
public static class ConfusionHeatMapSvg
{
    /// <summary>Up to this many classes the matrix is drawn square by square; beyond it the report lists the most confused pairs.</summary>
    public const int MaxClasses = 50;

    private const int LabelCharacters = 16;
    private const double GridSide = 340;

    public static string Render(string id, IReadOnlyList<string> classNames, int[][] confusion, ConfusionView view)
    {
        var n = classNames.Count;
        // Below 12 px a row's label no longer fits beside it; such grids grow past GridSide and the two maps stack.
        var cell = Math.Clamp(Math.Floor(GridSide / n), 12, 44);
        var showNumbers = cell >= 22;
        var labelWidth = Math.Min(LabelCharacters, classNames.Max(c => c.Length)) * 6.6 + 10;
        var (left, top) = (labelWidth + 24, labelWidth * 0.72 + 30);
        var grid = cell * n;
        var (width, height) = (left + grid + Math.Max(70, labelWidth * 0.72), top + grid + 30);
        var rowTotals = confusion.Select(row => row.Sum()).ToArray();
        var maxCount = Math.Max(1, confusion.Max(row => row.Max()));
        var fontSize = Math.Clamp(cell * 0.34, 8, 12.5);
        var labelFont = Math.Clamp(cell * 0.75, 8, 12);

        var svg = new StringBuilder();
        var title = view == ConfusionView.Counts ? "Counts" : "Row-normalized (% of true class)";
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" id=\"{Escape(id)}\" data-view=\"{view.ToString().ToLowerInvariant()}\" width=\"{Number(width)}\" height=\"{Number(height)}\" viewBox=\"0 0 {Number(width)} {Number(height)}\" role=\"img\" aria-label=\"Confusion matrix, {title}\">");
        svg.Append($"<text class=\"chart-title\" x=\"0\" y=\"16\">{title}</text>");
        svg.Append($"<text class=\"axis-label\" x=\"{Number(left + grid / 2)}\" y=\"{Number(top + grid + 20)}\" text-anchor=\"middle\">predicted class</text>");
        svg.Append($"<text class=\"axis-label\" transform=\"translate(12 {Number(top + grid / 2)}) rotate(-90)\" text-anchor=\"middle\">true class</text>");

        for (var i = 0; i < n; i++)
        {
            var name = Escape(Truncate(classNames[i], LabelCharacters));
            var full = Escape(classNames[i]);
            var y = top + (i + 0.5) * cell;
            svg.Append($"<text class=\"class-label\" x=\"{Number(left - 6)}\" y=\"{Number(y)}\" dy=\"0.32em\" text-anchor=\"end\" font-size=\"{Number(labelFont)}\"><title>{full}</title>{name}</text>");
            var x = left + (i + 0.5) * cell;
            svg.Append($"<text class=\"class-label\" transform=\"translate({Number(x)} {Number(top - 6)}) rotate(-45)\" font-size=\"{Number(labelFont)}\"><title>{full}</title>{name}</text>");
        }

        for (var t = 0; t < n; t++)
        for (var p = 0; p < n; p++)
        {
            var count = confusion[t][p];
            var share = rowTotals[t] > 0 ? (double)count / rowTotals[t] : double.NaN;
            var fill = view == ConfusionView.Counts ? (double)count / maxCount : double.IsNaN(share) ? 0 : share;
            var (x, y) = (left + p * cell, top + t * cell);
            svg.Append($"<rect class=\"cell{(t == p ? " diagonal" : "")}\" data-true=\"{t}\" data-predicted=\"{p}\" data-count=\"{count}\" x=\"{Number(x)}\" y=\"{Number(y)}\" width=\"{Number(cell)}\" height=\"{Number(cell)}\" fill=\"{ColorScale.Color(fill)}\">");
            svg.Append($"<title>true {Escape(classNames[t])}, predicted {Escape(classNames[p])}: {count.ToString(CultureInfo.InvariantCulture)} image{(count == 1 ? "" : "s")} ({Percent(share)} of the class)</title></rect>");
            if (!showNumbers || (view == ConfusionView.Counts ? count == 0 : double.IsNaN(share))) continue;
            var text = view == ConfusionView.Counts ? count.ToString(CultureInfo.InvariantCulture) : PercentCell(share);
            if (text == "0") continue;
            svg.Append($"<text class=\"cell-text\" x=\"{Number(x + cell / 2)}\" y=\"{Number(y + cell / 2)}\" dy=\"0.35em\" text-anchor=\"middle\" font-size=\"{Number(fontSize)}\" fill=\"{ColorScale.TextColor(fill)}\">{text}</text>");
        }
        svg.Append($"<rect x=\"{Number(left)}\" y=\"{Number(top)}\" width=\"{Number(grid)}\" height=\"{Number(grid)}\" fill=\"none\" stroke=\"#9aa0a6\" stroke-width=\"1\"/>");
        AppendColorBar(svg, id, left + grid + 16, top, grid, view == ConfusionView.Counts ? maxCount.ToString(CultureInfo.InvariantCulture) : "100%");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Whole percent, with "&lt;1" for a non-zero share that would round to 0 so that rare confusions stay visible.</summary>
    private static string PercentCell(double share)
    {
        if (share == 0) return "0";
        var rounded = Math.Round(share * 100);
        return rounded == 0 ? "&lt;1" : rounded.ToString("0", CultureInfo.InvariantCulture);
    }

    private static void AppendColorBar(StringBuilder svg, string id, double x, double top, double length, string maxLabel)
    {
        var gradient = Escape(id + "-scale");
        svg.Append($"<defs><linearGradient id=\"{gradient}\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">");
        foreach (var (offset, color) in ColorScale.GradientStops()) svg.Append($"<stop offset=\"{Number(offset)}\" stop-color=\"{color}\"/>");
        svg.Append("</linearGradient></defs>");
        svg.Append($"<rect x=\"{Number(x)}\" y=\"{Number(top)}\" width=\"12\" height=\"{Number(length)}\" fill=\"url(#{gradient})\" stroke=\"#9aa0a6\" stroke-width=\"0.5\"/>");
        svg.Append($"<text class=\"tick\" x=\"{Number(x + 16)}\" y=\"{Number(top)}\" dy=\"0.7em\">{Escape(maxLabel)}</text>");
        svg.Append($"<text class=\"tick\" x=\"{Number(x + 16)}\" y=\"{Number(top + length)}\">0</text>");
    }
}
