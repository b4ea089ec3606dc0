namespace AlexNet.Data.Sources;

/// <summary>
/// The split folders directly under a data set's root: <c>train</c>, <c>val</c> or <c>validation</c>, <c>test</c>
/// (names compared ordinally; lower case as torchvision and most data sets write them).
/// </summary>
internal sealed record SplitFolders(string? Train, string? Validation, string? Test)
{
    public static SplitFolders Find(string root)
    {
        string? Existing(string name) => Directory.Exists(Path.Combine(root, name)) ? Path.Combine(root, name) : null;
        var val = Existing("val");
        var validation = Existing("validation");
        if (val is not null && validation is not null)
        {
            throw new AlexNetException($"'{root}' has both '{val}' and '{validation}'; keep one validation split folder.");
        }
        return new SplitFolders(Existing("train"), val ?? validation, Existing("test"));
    }

    public IEnumerable<(DataSplit Split, string Folder)> Present()
    {
        if (Train is not null) yield return (DataSplit.Train, Train);
        if (Validation is not null) yield return (DataSplit.Validation, Validation);
        if (Test is not null) yield return (DataSplit.Test, Test);
    }

    public bool Any => Train is not null || Validation is not null || Test is not null;
}
