using AlexNet.Data.Sources;

namespace AlexNet.Training;

/// <summary>
/// Which images an evaluation reads: the split asked for, or, for a data set without splits (a folder of class
/// folders, a CSV list without a split column), the whole set, since it is then the evaluation set itself.
/// </summary>
public static class EvaluationSplits
{
    /// <summary>True for a folder of class folders or a CSV list that names no splits.</summary>
    public static bool HasNoSplits(DataSet data) =>
        data.Validation is null && data.Test is null && data.Layout is DataSetLayout.ClassFolders or DataSetLayout.CsvList;

    /// <summary>The images to evaluate on and how to name them ("test", "val", or "all images" without splits).</summary>
    public static (ISampleSource Source, string Name) Choose(DataSet data, DataSplit split)
    {
        if (HasNoSplits(data) && data.Train is { } all) return (all, "all images");
        var name = split switch { DataSplit.Train => "train", DataSplit.Validation => "val", _ => "test" };
        var source = split switch { DataSplit.Train => data.Train, DataSplit.Validation => data.Validation, _ => data.Test };
        return (source ?? throw new AlexNetException($"Data set '{data.Path}' has no {name} split."), name);
    }
}
