using AlexNet.Data;
using AlexNet.Tensors;

namespace AlexNet.Training;

/// <summary>
/// Batches of an in-memory data set (IDX files), normalized on the consuming thread: cheap at 28×28. With a
/// <see cref="DataShard"/>, <paramref name="batchSize"/> is the batch of all ranks together and this process gets
/// its portion of each.
/// </summary>
public sealed class InMemoryBatches(ImageDataset data, Preprocessing preprocessing, int batchSize, bool shuffle, ulong seed, DataShard? shard = null)
    : IBatchProvider
{
    private readonly DataShard _shard = shard ?? DataShard.Whole;

    public string Name => data.Name;

    public IReadOnlyList<string> ClassNames => data.ClassNames;

    public int Count => data.Count;

    public Shape SampleShape => new(data.Channels, data.Height, data.Width);

    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default, int startBatch = 0)
    {
        var local = _shard.LocalBatchSize(batchSize);
        var order = _shard.LocalOrder(BatchIterator.EpochOrder(data.Count, seed, epoch, shuffle), batchSize);
        return BatchIterator.Batches(data, preprocessing, local, order[Math.Min(order.Length, startBatch * local)..]);
    }
}
