namespace AlexNet.Reporting;

/// <summary>
/// What a report shows beyond the curves: how many random sample predictions and misclassified images, and
/// where it is written (default report.html in the run directory). Workers are loader threads (0: all cores).
/// <see cref="ClassNamesFile"/> (a synset_words.txt) gives the classes readable names; without it the run's own
/// (<see cref="Training.DataRequest.ClassNamesFile"/>) is used, if it had one.
/// </summary>
public sealed record RunReportOptions(int Samples = RunReportOptions.DefaultSamples, int? Mistakes = null, string? OutputPath = null, int Workers = 0,
    string? ClassNamesFile = null)
{
    public const int DefaultSamples = 16;

    /// <summary>The report's name in the run directory (<see cref="Training.RunDirectory.Report"/>).</summary>
    public const string FileName = "report.html";

    /// <summary>Misclassified images shown: half as many as the random samples unless given.</summary>
    public int MistakeCount => Mistakes ?? Samples / 2;

    public RunReportOptions Validate()
    {
        if (Samples < 0) throw new AlexNetException($"--samples must be 0 or more, got {Samples}.");
        if (Mistakes < 0) throw new AlexNetException($"The number of misclassified images shown must be 0 or more, got {Mistakes}.");
        return this;
    }
}
