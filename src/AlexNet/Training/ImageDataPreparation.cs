using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Loading;
using AlexNet.Data.Sources;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;

namespace AlexNet.Training;

/// <summary>
/// Turns an opened data set into batches for a model: holds out validation images when the data set has
/// no validation split, pre-scans every image so that a bad file stops the run before training (or is
/// skipped and listed, with SkipBadImages), measures the per-channel mean and standard deviation and the RGB
/// PCA on a seeded sample of training images, and builds the paper's pipelines (shorter side 256, random
/// crop, flip, PCA lighting for training; centre crop for evaluation) or, for small inputs, a plain
/// resize with flips.
/// </summary>
public static class ImageDataPreparation
{
    public static PreparedData Prepare(DataSet data, ImageDataOptions options, Action<string>? log = null)
    {
        var train = data.Train ?? throw new AlexNetException($"Data set '{data.Path}' has no training split.");
        var validation = data.Validation;
        if (validation is null && options.ValidationFraction > 0)
        {
            (train, validation) = HoldOut(train, options.ValidationFraction, options.Seed);
        }

        var bad = new List<BadSample>();
        train = Scan(train, "training", options, bad, log);
        if (validation is not null) validation = Scan(validation, "validation", options, bad, log);
        var test = data.Test is null ? null : Scan(data.Test, "test", options, bad, log);

        var small = options.InputSize <= ImageDataOptions.SmallImageLimit;
        // A pretrained model keeps the preprocessing its weights expect; a new one measures the training images.
        var fixedPreprocessing = options.Preprocessing;
        IImageTransform[] evaluationTransforms = fixedPreprocessing?.ToCentreCrop() ?? (small
            ? [new ResizeShorterSide(options.InputSize), new CenterCrop(options.InputSize)]
            : [new ResizeShorterSide(SamplePipeline.PaperResize), new CenterCrop(SamplePipeline.PaperResize), new CenterCrop(options.InputSize)]);
        var (mean, std) = fixedPreprocessing is null ? ChannelStatistics(train, evaluationTransforms, options) : (fixedPreprocessing.Mean, fixedPreprocessing.Std);
        var order = fixedPreprocessing?.ChannelOrder ?? (options.Channels == 1 ? ChannelOrder.Gray : ChannelOrder.Rgb);
        var converter = SampleConverter.PerChannel(options.InputSize, order, mean, std);
        var pca = options.Channels == 3 && options.PcaLighting && !small
            ? PcaStatistics.Compute(train, options.Channels, options.StatisticsSampleSize, options.Seed)
            : null;

        // The training crops before any flip or image-generator transform: none beyond the evaluation's for small images,
        // a random crop of the pretrained model's square or of the paper's central 256×256 otherwise.
        IImageTransform[] crops = small
            ? evaluationTransforms
            : fixedPreprocessing is not null ? [.. fixedPreprocessing.ToSquare(), new RandomCrop(options.InputSize)] : PaperCrops(options.InputSize);
        var lighting = pca is null ? null : new PcaLighting(pca);
        var trainingPipeline = options.Augment is { } augment
            ? new SamplePipeline(AugmentedTransforms(crops, augment), converter, lighting)
            : small
                ? new SamplePipeline([.. evaluationTransforms, new RandomHorizontalFlip()], converter)
                : fixedPreprocessing is not null
                    ? new SamplePipeline([.. crops, new RandomHorizontalFlip()], converter, lighting)
                    : SamplePipeline.PaperTraining(converter, lighting);
        var evaluationPipeline = new SamplePipeline(evaluationTransforms, converter);

        IBatchProvider Loader(ISampleSource source, SamplePipeline pipeline, bool shuffle, string name, DataShard shard) =>
            new LoaderBatches(new DataLoader(source, pipeline, new DataLoaderOptions
            {
                BatchSize = options.BatchSize,
                Shuffle = shuffle,
                Workers = options.WorkerCount,
                Seed = options.Seed,
                Channels = options.Channels,
                Shard = shard,
            }), name);

        var statistics = new DataStatistics(data.Path, data.Layout.ToString(), train.Count, validation?.Count ?? 0, bad.Count, mean, std, pca);
        return new PreparedData(
            Loader(train, trainingPipeline, shuffle: true, $"{data.Path} (train)", options.ShardOrWhole),
            validation is null ? null : Loader(validation, evaluationPipeline, shuffle: false, $"{data.Path} (validation)", options.ShardOrWhole),
            test is null ? null : Loader(test, evaluationPipeline, shuffle: false, $"{data.Path} (test)", DataShard.Whole),
            fixedPreprocessing ?? converter.ToPreprocessing() with { ResizeShorterSide = small ? options.InputSize : SamplePipeline.PaperResize },
            statistics,
            bad);
    }

    /// <summary>The paper's training crops: shorter side 256, the central 256×256, a random crop of the input size.</summary>
    private static IImageTransform[] PaperCrops(int inputSize) =>
        [new ResizeShorterSide(SamplePipeline.PaperResize), new CenterCrop(SamplePipeline.PaperResize), new RandomCrop(inputSize)];

    /// <summary><paramref name="crops"/>, then the image generator's rotation, zoom and shift, then its flip.</summary>
    private static IImageTransform[] AugmentedTransforms(IImageTransform[] crops, AugmentOptions augment) =>
        [.. crops, .. augment.HasAffine ? [new RandomAffine(augment)] : Array.Empty<IImageTransform>(), .. augment.Flip ? [new RandomHorizontalFlip()] : Array.Empty<IImageTransform>()];

    /// <summary>Batches of <paramref name="source"/> preprocessed as a checkpoint records it, for evaluation.</summary>
    public static IBatchProvider EvaluationBatches(ISampleSource source, Preprocessing preprocessing, int batchSize, int workers, string name)
    {
        var pipeline = new SamplePipeline(preprocessing.ToCentreCrop(), SampleConverter.From(preprocessing));
        return new LoaderBatches(new DataLoader(source, pipeline, new DataLoaderOptions
        {
            BatchSize = batchSize,
            Shuffle = false,
            Workers = workers > 0 ? workers : Environment.ProcessorCount,
            Channels = pipeline.Channels,
        }), name);
    }

    /// <summary>A seeded random <paramref name="fraction"/> of the images for validation, the rest for training.</summary>
    public static (ISampleSource Train, ISampleSource Validation) HoldOut(ISampleSource source, double fraction, ulong seed)
    {
        var count = (int)Math.Round(source.Count * fraction);
        var order = new RandomStream(seed, 0x5A11D).Permutation(source.Count);
        return (new FilteredSource(source, order[count..].Order().ToArray()), new FilteredSource(source, order[..count].Order().ToArray()));
    }

    private static ISampleSource Scan(ISampleSource source, string split, ImageDataOptions options, List<BadSample> bad, Action<string>? log)
    {
        log?.Invoke($"Checking {source.Count:N0} {split} images ...");
        var report = ImageScan.Run(source, options.Channels, options.WorkerCount);
        if (report.Bad.Count == 0) return source;
        if (!options.SkipBadImages) report.ThrowIfAny();
        log?.Invoke($"Skipping {report.Bad.Count:N0} bad {split} image{(report.Bad.Count == 1 ? "" : "s")}.");
        bad.AddRange(report.Bad);
        return FilteredSource.WithoutBad(source, report);
    }

    /// <summary>Per-channel mean and standard deviation of pixel/255 over a seeded sample of network-sized images.</summary>
    private static (float[] Mean, float[] Std) ChannelStatistics(ISampleSource source, IImageTransform[] transforms, ImageDataOptions options)
    {
        var sample = new RandomStream(options.Seed, 0x57A7).Permutation(source.Count).Take(options.StatisticsSampleSize).Order().ToArray();
        var (sums, squares) = (new double[options.Channels], new double[options.Channels]);
        long pixels = 0;
        var random = new RandomStream(0);
        foreach (var index in sample)
        {
            var image = source.Load(index, options.Channels);
            foreach (var transform in transforms) image = transform.Apply(image, random);
            var values = image.Pixels;
            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i] / 255.0;
                sums[i % options.Channels] += v;
                squares[i % options.Channels] += v * v;
            }
            pixels += values.Length / options.Channels;
        }
        if (pixels == 0) throw new AlexNetException("The training split has no images.");
        var mean = sums.Select(s => (float)(s / pixels)).ToArray();
        var std = squares.Select((s, c) => (float)Math.Sqrt(Math.Max(s / pixels - (double)mean[c] * mean[c], 1e-6))).ToArray();
        return (mean, std);
    }
}
