using System.Text.Json;
using AlexNet.Checkpoints;

namespace AlexNet.Training;

/// <summary>
/// What a data-parallel rank saw of its data set: classes, image counts and the pixel statistics measured on a
/// seeded sample. Every rank opens the data itself (from its own machine's copy), so rank 0 compares each rank's
/// fingerprint with its own before training starts.
/// </summary>
internal sealed record DataFingerprint(string[] Classes, int TrainImages, int ValidationImages, int SkippedBadImages, float[] Mean, float[] Std)
{
    public static DataFingerprint Of(PreparedData prepared) => new([.. prepared.Train.ClassNames], prepared.Statistics.TrainImages,
        prepared.Statistics.ValidationImages, prepared.Statistics.SkippedBadImages, prepared.Statistics.Mean, prepared.Statistics.Std);

    public string ToJson() => JsonSerializer.Serialize(this, JsonDefaults.Options);

    public static DataFingerprint FromJson(string json) => JsonSerializer.Deserialize<DataFingerprint>(json, JsonDefaults.Options)!;

    /// <summary>How this rank's data differs from <paramref name="reference"/> (rank 0's), or null when it does not.</summary>
    public string? DifferenceFrom(DataFingerprint reference)
    {
        var differences = new List<string>();
        if (!Classes.SequenceEqual(reference.Classes)) differences.Add($"{Classes.Length} classes here, {reference.Classes.Length} on rank 0{FirstDifferentClass(reference)}");
        if (TrainImages != reference.TrainImages) differences.Add($"{TrainImages} training images here, {reference.TrainImages} on rank 0");
        if (ValidationImages != reference.ValidationImages) differences.Add($"{ValidationImages} validation images here, {reference.ValidationImages} on rank 0");
        if (SkippedBadImages != reference.SkippedBadImages) differences.Add($"{SkippedBadImages} bad images skipped here, {reference.SkippedBadImages} on rank 0");
        if (!Mean.SequenceEqual(reference.Mean) || !Std.SequenceEqual(reference.Std))
        {
            differences.Add($"pixel mean [{string.Join(", ", Mean)}] here, [{string.Join(", ", reference.Mean)}] on rank 0");
        }
        return differences.Count == 0 ? null : string.Join("; ", differences);
    }

    private string FirstDifferentClass(DataFingerprint reference)
    {
        var index = Enumerable.Range(0, Math.Min(Classes.Length, reference.Classes.Length)).FirstOrDefault(i => Classes[i] != reference.Classes[i], -1);
        return index < 0 ? "" : $" (class {index} is '{Classes[index]}' here, '{reference.Classes[index]}' on rank 0)";
    }
}
