using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// A view of another source that keeps only the given samples, in the given order: how bad images are skipped
/// (<c>--skip-bad-images</c>) after <see cref="ImageScan"/> found them. Describe still names the inner sample.
/// </summary>
public sealed class FilteredSource : ISampleSource
{
    private readonly ISampleSource _inner;
    private readonly int[] _keep;

    public FilteredSource(ISampleSource inner, IReadOnlyList<int> keep)
    {
        var bad = keep.Where(index => (uint)index >= (uint)inner.Count).Select(index => (int?)index).FirstOrDefault();
        if (bad is not null) throw new ArgumentOutOfRangeException(nameof(keep), bad, $"Index outside the inner source's {inner.Count} samples.");
        (_inner, _keep) = (inner, keep.ToArray());
    }

    /// <summary>The samples of <paramref name="inner"/> that <paramref name="report"/> (a scan of it) did not find bad.</summary>
    public static FilteredSource WithoutBad(ISampleSource inner, ScanReport report)
    {
        if (report.Scanned != inner.Count) throw new ArgumentException($"The report covers {report.Scanned} samples, the source has {inner.Count}.");
        return new FilteredSource(inner, report.GoodIndices());
    }

    public IReadOnlyList<string> ClassNames => _inner.ClassNames;

    public int Count => _keep.Length;

    public int Label(int index) => _inner.Label(_keep[index]);

    public string Describe(int index) => _inner.Describe(_keep[index]);

    public Image Load(int index, int channels) => _inner.Load(_keep[index], channels);
}
