namespace AlexNet.Mpi;

/// <summary>
/// How the ranks of a data-parallel run talk: the size of the gradient buckets reduced together (<c>--bucket-mb</c>,
/// 25 MB as PyTorch's DistributedDataParallel), how often every rank tells the others it is alive, and how long a
/// rank may stay silent before the others give up on it (<c>--peer-timeout</c>), and which all-reduce sums the
/// gradients (<c>--allreduce</c>).
/// </summary>
public sealed record MpiGroupOptions(double BucketMegabytes = 25, double PeerTimeoutSeconds = 30, double HeartbeatSeconds = 1,
    AllReduceAlgorithm AllReduce = AllReduceAlgorithm.Ring)
{
    /// <summary>The <c>--allreduce</c> values: <c>ring</c> (ours) or <c>mpi</c> (the MPI library's MPI_Allreduce).</summary>
    public static AllReduceAlgorithm ParseAllReduce(string value) => value switch
    {
        "ring" => AllReduceAlgorithm.Ring,
        "mpi" => AllReduceAlgorithm.Mpi,
        _ => throw new AlexNetException($"--allreduce must be 'ring' or 'mpi', got '{value}'."),
    };

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
