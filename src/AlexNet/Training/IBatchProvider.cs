using AlexNet.Data;
using AlexNet.Tensors;

namespace AlexNet.Training;

/// <summary>
/// Where a trainer or an evaluation gets its mini-batches: an in-memory array of small images, or the
/// worker-thread loader over image files. Epoch e always yields the same batches for the same seed.
/// </summary>
public interface IBatchProvider
{
    string Name { get; }

    IReadOnlyList<string> ClassNames { get; }

    int Count { get; }

    /// <summary>Per-sample input shape (C, H, W) of the batches.</summary>
    Shape SampleShape { get; }

    IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default);
}
