namespace AlexNet.Mpi;

/// <summary>
/// How the ranks of a data-parallel run talk: the size of the gradient buckets reduced together (<c>--bucket-mb</c>,
/// 25 MB as PyTorch's DistributedDataParallel), how often every rank tells the others it is alive, and how long a
/// rank may stay silent before the others give up on it (<c>--peer-timeout</c>).
/// </summary>
public sealed record MpiGroupOptions(double BucketMegabytes = 25, double PeerTimeoutSeconds = 30, double HeartbeatSeconds = 1)
{
    public long BucketBytes => (long)(BucketMegabytes * 1_000_000);

    /// <summary>Throws an <see cref="AlexNetException"/> naming the option at fault.</summary>
    public MpiGroupOptions Validate()
    {
        if (!(BucketMegabytes > 0) || double.IsInfinity(BucketMegabytes)) throw new AlexNetException($"--bucket-mb must be a positive number, got {BucketMegabytes}.");
        if (!(HeartbeatSeconds > 0)) throw new AlexNetException($"The heartbeat period must be positive, got {HeartbeatSeconds} s.");
        if (!(PeerTimeoutSeconds >= 3 * HeartbeatSeconds) || double.IsInfinity(PeerTimeoutSeconds))
        {
            throw new AlexNetException($"--peer-timeout must be at least {3 * HeartbeatSeconds:G} seconds (three heartbeats), got {PeerTimeoutSeconds}.");
        }
        return this;
    }
}
