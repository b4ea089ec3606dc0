namespace AlexNet.Reporting;

/// <summary>A chart of values against epochs, one line per series, on a linear or logarithmic value axis.</summary>
public sealed record LineChart(string Id, string Title, string ValueLabel, IReadOnlyList<int> Epochs, IReadOnlyList<ChartSeries> Series,
    ValueFormat Format = ValueFormat.Number, bool LogScale = false, double? FloorValue = null, double? CeilingValue = null);
