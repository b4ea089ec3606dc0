using System.Text;
using static AlexNet.Reporting.HtmlText;

namespace AlexNet.Reporting;

/// <summary>
/// Draws a <see cref="LineChart"/> as inline SVG: title and legend above the plot, horizontal grid lines at the
/// value ticks, epoch ticks below, one polyline and one marker (with a hover title) per epoch and series.
/// </summary>
public static class LineChartSvg
{
    public const int Width = 520, Height = 290;
    private const double Left = 62, Right = 16, Top = 44, Bottom = 46;
    private const double PlotWidth = Width - Left - Right, PlotHeight = Height - Top - Bottom;

    public static string Render(LineChart chart)
    {
        var series = chart.Series.Where(s => s.HasValues).ToList();
        var values = series.SelectMany(s => s.Values).OfType<double>().Where(double.IsFinite).ToList();
        var xAxis = Axis.Linear(chart.Epochs.Count > 0 ? chart.Epochs.Min() : 1, chart.Epochs.Count > 0 ? chart.Epochs.Max() : 1, targetTicks: 8, integers: true);
        var yAxis = ValueAxis(chart, values);
        double X(double epoch) => Left + xAxis.Fraction(epoch) * PlotWidth;
        double Y(double value) => Top + (1 - yAxis.Fraction(value)) * PlotHeight;

        var svg = new StringBuilder();
        svg.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"{Escape(chart.Id)}\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Escape(chart.Title)}\">");
        svg.Append($"<text class=\"chart-title\" x=\"{Number(Left)}\" y=\"20\">{Escape(chart.Title)}</text>");
        AppendLegend(svg, series);

        // Value grid and labels.
        foreach (var tick in yAxis.Ticks)
        {
            var y = Number(Y(tick));
            svg.Append($"<line class=\"grid\" x1=\"{Number(Left)}\" x2=\"{Number(Left + PlotWidth)}\" y1=\"{y}\" y2=\"{y}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{Number(Left - 6)}\" y=\"{y}\" dy=\"0.32em\" text-anchor=\"end\">{Escape(yAxis.Label(tick))}</text>");
        }
        foreach (var tick in xAxis.Ticks)
        {
            var x = Number(X(tick));
            svg.Append($"<line class=\"axis\" x1=\"{x}\" x2=\"{x}\" y1=\"{Number(Top + PlotHeight)}\" y2=\"{Number(Top + PlotHeight + 4)}\"/>");
            svg.Append($"<text class=\"tick\" x=\"{x}\" y=\"{Number(Top + PlotHeight + 16)}\" text-anchor=\"middle\">{Escape(xAxis.Label(tick))}</text>");
        }
        svg.Append($"<line class=\"axis\" x1=\"{Number(Left)}\" x2=\"{Number(Left + PlotWidth)}\" y1=\"{Number(Top + PlotHeight)}\" y2=\"{Number(Top + PlotHeight)}\"/>");
        svg.Append($"<line class=\"axis\" x1=\"{Number(Left)}\" x2=\"{Number(Left)}\" y1=\"{Number(Top)}\" y2=\"{Number(Top + PlotHeight)}\"/>");
        svg.Append($"<text class=\"axis-label\" x=\"{Number(Left + PlotWidth / 2)}\" y=\"{Height - 8}\" text-anchor=\"middle\">epoch</text>");
        svg.Append($"<text class=\"axis-label\" transform=\"translate(14 {Number(Top + PlotHeight / 2)}) rotate(-90)\" text-anchor=\"middle\">{Escape(chart.ValueLabel)}{(yAxis.Logarithmic ? " (log scale)" : "")}</text>");

        var markerRadius = chart.Epochs.Count > 60 ? 1.5 : 3;
        foreach (var line in series)
        {
            svg.Append($"<g class=\"series\" data-series=\"{Escape(line.Name)}\">");
            foreach (var segment in Segments(chart.Epochs, line.Values))
            {
                var corners = line.Stepped
                    ? segment.SelectMany((p, i) => i == 0 ? [p] : new[] { (p.Epoch, segment[i - 1].Value), p })
                    : segment;
                var points = string.Join(" ", corners.Select(p => $"{Number(X(p.Epoch))},{Number(Y(p.Value))}"));
                svg.Append($"<polyline points=\"{points}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"2\"{(line.Dashed ? " stroke-dasharray=\"6 4\"" : "")} stroke-linejoin=\"round\"/>");
            }
            for (var i = 0; i < chart.Epochs.Count; i++)
            {
                if (line.Values[i] is not { } value || !double.IsFinite(value)) continue;
                svg.Append($"<circle class=\"point\" cx=\"{Number(X(chart.Epochs[i]))}\" cy=\"{Number(Y(value))}\" r=\"{Number(markerRadius)}\" fill=\"{line.Color}\">");
                svg.Append($"<title>{Escape(line.Name)}, epoch {chart.Epochs[i]}: {Escape(Exact(value, chart.Format))}</title></circle>");
            }
            svg.Append("</g>");
        }
        if (series.Count == 0)
        {
            svg.Append($"<text class=\"empty\" x=\"{Number(Left + PlotWidth / 2)}\" y=\"{Number(Top + PlotHeight / 2)}\" text-anchor=\"middle\">no values recorded</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static Axis ValueAxis(LineChart chart, IReadOnlyList<double> values)
    {
        if (values.Count == 0) return Axis.Linear(0, 1, chart.Format);
        var (lo, hi) = (values.Min(), values.Max());
        if (chart.LogScale && lo > 0 && hi / lo >= 10) return Axis.Log(lo, hi);
        var pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
        if (chart.FloorValue is { } floor) lo = Math.Max(lo, floor);
        if (chart.CeilingValue is { } ceiling) hi = Math.Min(hi, ceiling);
        return Axis.Linear(lo, hi, chart.Format);
    }

    private static void AppendLegend(StringBuilder svg, IReadOnlyList<ChartSeries> series)
    {
        // Right-aligned, drawn from the last entry leftwards; entry widths estimated from 7 px per character at 12 px.
        var x = Width - Right;
        for (var i = series.Count - 1; i >= 0; i--)
        {
            var entry = series[i];
            var textWidth = entry.Name.Length * 7;
            x -= textWidth;
            svg.Append($"<text class=\"legend\" x=\"{x}\" y=\"20\">{Escape(entry.Name)}</text>");
            x -= 24;
            svg.Append($"<line x1=\"{x}\" x2=\"{x + 18}\" y1=\"16\" y2=\"16\" stroke=\"{entry.Color}\" stroke-width=\"2.5\"{(entry.Dashed ? " stroke-dasharray=\"6 4\"" : "")}/>");
            svg.Append($"<circle cx=\"{x + 9}\" cy=\"16\" r=\"3\" fill=\"{entry.Color}\"/>");
            x -= 14;
        }
    }

    /// <summary>Runs of consecutive epochs that have a value, so a missing value breaks the line instead of bridging it.</summary>
    private static IEnumerable<List<(int Epoch, double Value)>> Segments(IReadOnlyList<int> epochs, IReadOnlyList<double?> values)
    {
        var run = new List<(int, double)>();
        for (var i = 0; i < epochs.Count; i++)
        {
            if (values[i] is { } value && double.IsFinite(value))
            {
                run.Add((epochs[i], value));
                continue;
            }
            if (run.Count > 0) yield return run;
            run = [];
        }
        if (run.Count > 0) yield return run;
    }

    private static string Exact(double value, ValueFormat format) =>
        format == ValueFormat.Percent ? Percent(value, 2) : value.ToString("G5", System.Globalization.CultureInfo.InvariantCulture);
}
