namespace AlexNet.Data.Sources;

/// <summary>
/// An opened data set: its splits (null where the data set has none) sharing one class list, so a label means
/// the same class in every split.
/// </summary>
public sealed record DataSet(
    string Path,
    DataSetLayout Layout,
    IReadOnlyList<string> ClassNames,
    ISampleSource? Train,
    ISampleSource? Validation,
    ISampleSource? Test);
