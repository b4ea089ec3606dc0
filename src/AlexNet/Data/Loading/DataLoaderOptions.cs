namespace AlexNet.Data.Loading;

/// <summary>Settings of a <see cref="DataLoader"/>. Only <see cref="Seed"/>, <see cref="BatchSize"/>,
/// <see cref="Shuffle"/>, <see cref="DropLast"/>, <see cref="Channels"/> and <see cref="Shard"/> affect the
/// batches; the thread settings only affect speed and memory.</summary>
public sealed record DataLoaderOptions
{
    /// <summary>Samples per batch (paper: 128); in a data-parallel run, per batch of all ranks together.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>The part of every batch this process loads (<see cref="DataShard.Whole"/> outside data-parallel runs).</summary>
    public DataShard Shard { get; init; } = DataShard.Whole;

    /// <summary>Visit the samples in a new random order every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Leave out the last batch when it would be smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLast { get; init; }

    /// <summary>Threads that decode and transform; 0 does the work on the consuming thread.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How many batches the workers may prepare ahead of the consumer (the bounded queue): at any time at
    /// most this many batches exist besides the one the consumer holds.
    /// </summary>
    public int PrefetchBatches { get; init; } = 3;

    /// <summary>Seed of the epoch orders and of every sample's augmentation.</summary>
    public ulong Seed { get; init; }

    /// <summary>Channels to decode (1 grey, 3 RGB); must match the pipeline's.</summary>
    public int Channels { get; init; } = 3;
}
