namespace AlexNet.Reporting;

/// <summary>
/// One line of a chart: a value per epoch (null where there is none, e.g. no validation data). A stepped line
/// holds each value until the next epoch's, for settings such as the learning rate that change between epochs.
/// </summary>
public sealed record ChartSeries(string Name, string Color, IReadOnlyList<double?> Values, bool Dashed = false, bool Stepped = false)
{
    public bool HasValues => Values.Any(v => v is { } x && double.IsFinite(x));
}
