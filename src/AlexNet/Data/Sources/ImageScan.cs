using System.Collections.Concurrent;

namespace AlexNet.Data.Sources;

/// <summary>
/// The pre-scan: decodes every sample of a source once, in parallel, before training, so that a bad file
/// (empty, truncated, not an image, unreadable, larger than the decoder allows) is reported up front with all
/// the others rather than stopping a run hours in.
/// </summary>
public static class ImageScan
{
    /// <summary>
    /// Loads every sample with <paramref name="channels"/> channels on up to <paramref name="maxDegreeOfParallelism"/>
    /// threads. A load that throws <see cref="AlexNetException"/>, <see cref="IOException"/> or
    /// <see cref="UnauthorizedAccessException"/> marks the sample bad; anything else is a bug and propagates.
    /// <paramref name="progress"/> receives the number of samples done so far, increasing, about every 1% and at the end.
    /// </summary>
    public static ScanReport Run(ISampleSource source, int channels, int maxDegreeOfParallelism, IProgress<int>? progress = null)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        if (maxDegreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Need at least one thread.");
        var count = source.Count;
        var bad = new ConcurrentBag<BadSample>();
        var step = Math.Max(1, count / 100);
        var done = 0;
        var reported = 0;
        var gate = new object();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, count, options, index =>
        {
            try
            {
                source.Load(index, channels);
            }
            catch (Exception e) when (e is AlexNetException or IOException or UnauthorizedAccessException)
            {
                bad.Add(new BadSample(index, source.Describe(index), e.Message));
            }
            var now = Interlocked.Increment(ref done);
            if (progress is not null && (now % step == 0 || now == count))
            {
                lock (gate)
                {
                    if (now <= reported) return;
                    reported = now;
                    progress.Report(now);
                }
            }
        });
        if (progress is not null && reported < count) progress.Report(count);
        return new ScanReport(count, bad.OrderBy(sample => sample.Index).ToArray());
    }
}
