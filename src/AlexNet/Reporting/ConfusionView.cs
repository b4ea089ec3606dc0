namespace AlexNet.Reporting;

/// <summary>What the cells of a confusion heat map show: image counts, or each count as a share of its true class (row).</summary>
public enum ConfusionView
{
    Counts,
    RowPercent,
}
