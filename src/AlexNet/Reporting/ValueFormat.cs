namespace AlexNet.Reporting;

/// <summary>How an axis labels its values: plain numbers, or fractions shown as percentages.</summary>
public enum ValueFormat
{
    Number,
    Percent,
}
