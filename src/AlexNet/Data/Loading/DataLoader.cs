using AlexNet.Data.Sources;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;
using AlexNet.Tensors;

namespace AlexNet.Data.Loading;

/// <summary>
/// Turns a sample source into mini-batches: decodes, transforms and normalizes samples on worker threads
/// ahead of the consumer, at most <see cref="DataLoaderOptions.PrefetchBatches"/> batches ahead.
/// </summary>
/// <remarks>
/// Determinism: the epoch's order is <see cref="BatchIterator.EpochOrder"/> (RandomStream(seed, salt,
/// epoch)); sample i's augmentation draws from RandomStream(seed, <see cref="SampleSalt"/>, epoch, i) and
/// every sample is written into its own slot. The batches are therefore bit-identical for any number of
/// workers, and a run resumed at epoch e sees what the uninterrupted run would have seen. With a
/// <see cref="DataLoaderOptions.Shard"/>, every rank computes the same order and loads only its portion of each
/// batch, so the ranks' batches together are the single process's batches, sample for sample.
/// Errors: a sample that fails is reported on the consuming thread, as an <see cref="AlexNetException"/>
/// naming the sample (<see cref="ISampleSource.Describe"/>), when the consumer reaches its batch; the
/// batches before it are delivered as usual. Disposing the enumerator (leaving a <c>foreach</c>) or
/// cancelling the token stops and joins the workers.
/// </remarks>
public sealed class DataLoader
{
    /// <summary>Stream identifier of the per-sample augmentation streams.</summary>
    public const ulong SampleSalt = 0x5A3B1E;

    public DataLoader(ISampleSource source, SamplePipeline pipeline, DataLoaderOptions options)
    {
        if (options.BatchSize <= 0) throw new AlexNetException($"The batch size must be at least 1, got {options.BatchSize}.");
        if (options.Workers < 0) throw new AlexNetException($"The number of loader workers must not be negative, got {options.Workers}.");
        options.Shard.CheckDivides(options.BatchSize, "The batch size");
        if (options.PrefetchBatches <= 0) throw new AlexNetException($"The loader must prefetch at least 1 batch, got {options.PrefetchBatches}.");
        if (options.Channels != pipeline.Channels)
        {
            throw new AlexNetException(
                $"The loader decodes {options.Channels}-channel images but the pipeline's {pipeline.Converter.ChannelOrder} input has {pipeline.Channels}.");
        }
        (Source, Pipeline, Options) = (source, pipeline, options);
    }

    public ISampleSource Source { get; }

    public SamplePipeline Pipeline { get; }

    public DataLoaderOptions Options { get; }

    /// <summary>Batches per epoch this process loads (with a shard, a rank left out of a short last batch has one fewer).</summary>
    public int BatchCount => (LocalSampleCount + LocalBatchSize - 1) / LocalBatchSize;

    /// <summary>Samples of a full batch this process loads: <see cref="DataLoaderOptions.BatchSize"/> divided by the ranks.</summary>
    internal int LocalBatchSize => Options.BatchSize / Options.Shard.Ranks;

    /// <summary>Samples per epoch this process loads.</summary>
    private int LocalSampleCount
    {
        get
        {
            var (full, rest) = (Source.Count / Options.BatchSize, Source.Count % Options.BatchSize);
            return full * LocalBatchSize + (Options.DropLast ? 0 : Options.Shard.Portion(rest).Count);
        }
    }

    /// <summary>The order in which epoch <paramref name="epoch"/> visits the samples (all ranks alike).</summary>
    public int[] EpochOrder(int epoch) => BatchIterator.EpochOrder(Source.Count, Options.Seed, epoch, Options.Shuffle);

    /// <summary>The samples of epoch <paramref name="epoch"/> this process loads, in order: its portion of every batch.</summary>
    private int[] LocalOrder(int epoch)
    {
        var order = EpochOrder(epoch);
        if (Options.Shard.IsWhole) return order;
        if (Options.DropLast) order = order[..(order.Length - order.Length % Options.BatchSize)];
        return Options.Shard.LocalOrder(order, Options.BatchSize);
    }

    /// <summary>The random stream sample <paramref name="index"/> is augmented with in epoch <paramref name="epoch"/>.</summary>
    public RandomStream SampleStream(int epoch, int index) => new(Options.Seed, SampleSalt, (ulong)epoch, (ulong)index);

    /// <summary>The batches of one epoch, in order. Enumerate it once; dispose it (foreach does) to stop early.</summary>
    public IEnumerable<Batch> Epoch(int epoch, CancellationToken token = default, int startBatch = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(epoch);
        ArgumentOutOfRangeException.ThrowIfNegative(startBatch);
        return Options.Workers == 0 ? InlineEpoch(epoch, startBatch, token) : ThreadedEpoch(epoch, startBatch, token);
    }

    private IEnumerable<Batch> InlineEpoch(int epoch, int startBatch, CancellationToken token)
    {
        var order = LocalOrder(epoch);
        for (var b = startBatch; b < BatchCount; b++)
        {
            var slot = CreateSlot(order, b);
            for (var j = 0; j < slot.Indices.Length; j++)
            {
                token.ThrowIfCancellationRequested();
                ProcessSample(slot, j, epoch);
                if (slot.Failure is { } failure) throw failure;
            }
            yield return slot.ToBatch();
        }
    }

    private IEnumerable<Batch> ThreadedEpoch(int epoch, int startBatch, CancellationToken token)
    {
        if (startBatch >= BatchCount) yield break;
        using var run = new EpochRun(this, LocalOrder(epoch), epoch, startBatch, token);
        run.Start();
        for (var b = startBatch; b < BatchCount; b++) yield return run.Take(b);
    }

    internal BatchSlot CreateSlot(int[] order, int batch)
    {
        var start = batch * LocalBatchSize;
        var count = Math.Min(LocalBatchSize, order.Length - start);
        var images = new Tensor(count, Pipeline.Channels, Pipeline.InputSize, Pipeline.InputSize);
        return new BatchSlot(images, new int[count], order[start..(start + count)]);
    }

    /// <summary>Loads, transforms and stores sample <paramref name="j"/> of a batch; a failure is recorded on the slot.</summary>
    internal void ProcessSample(BatchSlot slot, int j, int epoch)
    {
        var index = slot.Indices[j];
        try
        {
            var image = Source.Load(index, Options.Channels);
            Pipeline.Process(image, SampleStream(epoch, index), slot.Images, j);
            slot.Labels[j] = Source.Label(index);
        }
        catch (Exception e)
        {
            slot.Fail(j, Describe(index, epoch, e));
        }
    }

    private AlexNetException Describe(int index, int epoch, Exception error)
    {
        string where;
        try
        {
            where = Source.Describe(index);
        }
        catch (Exception e)
        {
            where = $"description unavailable: {e.Message}";
        }
        return new AlexNetException($"Sample {index} ({where}) could not be loaded in epoch {epoch}: {error.Message}", error);
    }
}
