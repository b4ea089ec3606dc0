namespace AlexNet.Data.Sources;

/// <summary>The outcome of <see cref="ImageScan.Run"/>: how many samples were scanned and every one that failed, by index.</summary>
public sealed class ScanReport
{
    /// <summary>How many bad samples <see cref="ThrowIfAny"/> prints before "… and N more".</summary>
    public const int PrintedLimit = 50;

    public ScanReport(int scanned, IReadOnlyList<BadSample> bad) => (Scanned, Bad) = (scanned, bad);

    public int Scanned { get; }

    /// <summary>Every bad sample, sorted by index.</summary>
    public IReadOnlyList<BadSample> Bad { get; }

    public bool IsClean => Bad.Count == 0;

    /// <summary>The indices of the samples that loaded, in order: what <see cref="FilteredSource"/> keeps.</summary>
    public IReadOnlyList<int> GoodIndices()
    {
        var bad = Bad.Select(sample => sample.Index).ToHashSet();
        return Enumerable.Range(0, Scanned).Where(i => !bad.Contains(i)).ToArray();
    }

    /// <summary>Throws an <see cref="AlexNetException"/> naming every bad file (the first <see cref="PrintedLimit"/>) with its reason.</summary>
    public void ThrowIfAny()
    {
        if (IsClean) return;
        // Decoder messages usually name the file already; say it once.
        var lines = Bad.Select(sample => sample.Reason.Contains(sample.Source, StringComparison.Ordinal)
            ? OneLine(sample.Reason)
            : $"{sample.Source}: {OneLine(sample.Reason)}");
        throw new AlexNetException(
            $"{Bad.Count} of {Scanned} images cannot be loaded:{Listing.Lines(lines, PrintedLimit)}\n" +
            "Fix or remove them, or skip them (--skip-bad-images); the full list can be written to a file (one path and reason per line).");
    }

    /// <summary>Writes every bad sample, one per line: source, a tab, the reason (tabs and line breaks in it become spaces).</summary>
    public void WriteTo(string path)
    {
        try
        {
            File.WriteAllLines(path, Bad.Select(sample => $"{OneLine(sample.Source)}\t{OneLine(sample.Reason)}"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AlexNetException($"Cannot write the bad image list '{path}': {e.Message}", e);
        }
    }

    private static string OneLine(string text) => text.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ').Replace('\t', ' ');
}
