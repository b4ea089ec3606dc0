namespace AlexNet.Reporting;

/// <summary>One line of a chart: a value per epoch (null where there is none, e.g. no validation data).</summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<double?> Values, bool Dashed = false)
{
    public bool HasValues => Values.Any(v => v is { } x && double.IsFinite(x));
}
