using AlexNet.Tensors;

namespace AlexNet.Data.Loading;

/// <summary>A batch under construction: its tensor and labels, how many samples are still missing, and the
/// first failure (by position in the batch, so the reported error does not depend on thread timing).</summary>
internal sealed class BatchSlot(Tensor images, int[] labels, int[] indices)
{
    private readonly Lock _failureGate = new();
    private int _failedPosition = int.MaxValue;

    public Tensor Images { get; } = images;

    public int[] Labels { get; } = labels;

    public int[] Indices { get; } = indices;

    /// <summary>Samples not yet processed; changed under the run's lock only.</summary>
    public int Remaining { get; set; } = indices.Length;

    public AlexNetException? Failure { get; private set; }

    public void Fail(int position, AlexNetException error)
    {
        lock (_failureGate)
        {
            if (position >= _failedPosition) return;
            (_failedPosition, Failure) = (position, error);
        }
    }

    public Batch ToBatch() => new(Images, Labels, Indices);
}
