using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Sources;

namespace AlexNet.Training;

/// <summary>
/// Opens the data a run asked for and prepares batches for a model. IDX data (MNIST, Fashion-MNIST) stays
/// in memory and is batched directly; everything else goes through the file loader of
/// <see cref="ImageDataPreparation"/>.
/// </summary>
public static class TrainingData
{
    public static DataSet Open(DataRequest request, IImageDecoder decoder)
    {
        if (request.Data == DataRequest.FashionMnistName && !Directory.Exists(request.Path))
        {
            throw new AlexNetException(
                $"Fashion-MNIST folder '{request.Path}' does not exist. Install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data with another data set.");
        }
        return DataSetDetector.Open(request.Path, decoder, request.Layout, request.ImageLabelsJson, request.LabelIndexJson, request.CifarLabels);
    }

    /// <summary>Channels of the images as stored: IDX data is grey, everything else is read as RGB.</summary>
    public static int NativeChannels(DataSet data) => data.Layout == DataSetLayout.Idx ? 1 : 3;

    /// <summary>The side of the images when every image has the same size (IDX, CIFAR-10), else null.</summary>
    public static int? NativeSize(DataSet data) => data.Layout switch
    {
        DataSetLayout.Idx when data.Train is IdxSource idx => idx.Dataset.Height,
        DataSetLayout.Cifar10 or DataSetLayout.Cifar100 => 32,
        _ => null,
    };

    public static PreparedData Prepare(DataSet data, DataRequest request, ImageDataOptions options, Action<string>? log = null)
    {
        // Augmentation runs on the loader's workers; without it, IDX images at their own size are batched from memory.
        if (data.Train is IdxSource train && options.InputSize == train.Dataset.Height && options.Channels == 1 && options.Augment is null)
        {
            return InMemory(data, train.Dataset, options);
        }
        return ImageDataPreparation.Prepare(data, options with { SkipBadImages = request.SkipBadImages, Workers = request.Workers }, log);
    }

    private static PreparedData InMemory(DataSet data, ImageDataset all, ImageDataOptions options)
    {
        var (train, validation) = data.Validation is IdxSource givenValidation
            ? (all, givenValidation.Dataset)
            : ValidationSplit.HoldOut(all, options.ValidationFraction, options.Seed);
        var preprocessing = options.Preprocessing ?? Preprocessing.FromStatistics(train);
        var test = (data.Test as IdxSource)?.Dataset;
        var statistics = new DataStatistics(data.Path, data.Layout.ToString(), train.Count, validation?.Count ?? 0, 0, preprocessing.Mean, preprocessing.Std, null);
        var shard = options.ShardOrWhole;
        return new PreparedData(
            new InMemoryBatches(train, preprocessing, options.BatchSize, shuffle: true, options.Seed, shard),
            validation is null ? null : new InMemoryBatches(validation, preprocessing, shard.EvenBatchSize(500), shuffle: false, options.Seed, shard),
            test is null ? null : new InMemoryBatches(test, preprocessing, 500, shuffle: false, options.Seed),
            preprocessing,
            statistics,
            []);
    }
}
