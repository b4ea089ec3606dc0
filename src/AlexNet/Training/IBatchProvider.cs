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

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/> from batch <paramref name="startBatch"/> on (a resumed run
    /// skips the batches it had already trained on, without loading them).
    /// </summary>
    IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default, int startBatch = 0);
}
