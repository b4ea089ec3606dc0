namespace AlexNet.Data.Sources;

/// <summary>The splits of a data set.</summary>
public enum DataSplit
{
    Train,
    Validation,
    Test,
}
