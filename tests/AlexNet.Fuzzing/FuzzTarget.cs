namespace AlexNet.Fuzzing;

/// <summary>
/// A format and how a user's command reads it. <see cref="Prepare"/> lays out a folder of valid files once;
/// each mutant replaces one of <see cref="Files"/> there and <see cref="Load"/> reads the folder (returning the output
/// file it wrote, if any). A mutant may allocate at most <see cref="AllocationBound"/> bytes, stated from the
/// mutant's size (and for compressed layers from the size of what they inflate to).
/// </summary>
internal sealed record FuzzTarget(
    string Name,
    IReadOnlyList<FuzzFile> Files,
    Action<string> Prepare,
    Func<string, string, string?> Load,
    Func<long, long> AllocationBound,
    string BoundText);
