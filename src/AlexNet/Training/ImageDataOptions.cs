using AlexNet.Data.Transforms;

namespace AlexNet.Training;

/// <summary>
/// How image files become batches for one model: its input size and channels, the batch size and
/// seed of the run, loader workers, and what to do about images that do not decode. <see cref="Augment"/>, when
/// given, replaces the default training augmentation (a flip for small images, the paper's crops and flip otherwise).
/// <see cref="Preprocessing"/>, when given (fine-tuning pretrained weights), replaces the statistics measured on the
/// training images. In a data-parallel run, <see cref="Shard"/> says which part of every training and validation
/// batch this process loads.
/// </summary>
public sealed record ImageDataOptions(
    int InputSize,
    int Channels,
    int BatchSize,
    ulong Seed,
    double ValidationFraction,
    bool SkipBadImages = false,
    int Workers = 0,
    int StatisticsSampleSize = 2000,
    bool PcaLighting = true,
    AugmentOptions? Augment = null,
    Data.Preprocessing? Preprocessing = null,
    Data.DataShard? Shard = null)
{
    public Data.DataShard ShardOrWhole => Shard ?? Data.DataShard.Whole;

    /// <summary>Inputs up to this size (Fashion-MNIST, CIFAR-10) are not rescaled to 256 and cropped as in the paper.</summary>
    public const int SmallImageLimit = 64;

    public int WorkerCount => Workers > 0 ? Workers : Environment.ProcessorCount;
}
