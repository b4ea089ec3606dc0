using AlexNet.Data;
using AlexNet.Tensors;

namespace AlexNet.Training;

/// <summary>Batches of an in-memory data set (IDX files), normalized on the consuming thread: cheap at 28×28.</summary>
public sealed class InMemoryBatches(ImageDataset data, Preprocessing preprocessing, int batchSize, bool shuffle, ulong seed) : IBatchProvider
{
    public string Name => data.Name;

    public IReadOnlyList<string> ClassNames => data.ClassNames;

    public int Count => data.Count;

    public Shape SampleShape => new(data.Channels, data.Height, data.Width);

    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default, int startBatch = 0) =>
        BatchIterator.Batches(data, preprocessing, batchSize,
            BatchIterator.EpochOrder(data.Count, seed, epoch, shuffle)[Math.Min(data.Count, startBatch * batchSize)..]);
}
