namespace AlexNet.Distributed;

/// <summary>
/// One step's gradient reduction: the bytes reduced (every gradient once, whatever the algorithm moves), in how
/// many buckets, the seconds spent inside the reductions (waiting for the other ranks to arrive included), the part
/// of those seconds spent moving and adding data once all ranks were there, and the seconds the training thread
/// waited for the reductions after its backward pass (the part not hidden behind backward).
/// </summary>
public sealed record ExchangeTimes(long Bytes, int Buckets, double ReduceSeconds, double TransferSeconds, double ExposedSeconds)
{
    public static ExchangeTimes None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>Share of the reduction time that overlapped the backward pass, 0 to 1 (1 when there was nothing to reduce).</summary>
    public double HiddenShare => ReduceSeconds <= 0 ? 1 : Math.Clamp(1 - ExposedSeconds / ReduceSeconds, 0, 1);
}
