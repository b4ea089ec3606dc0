using AlexNet.Backends;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Sources;
using AlexNet.Data.Transforms;
using AlexNet.Imaging;
using AlexNet.Inference;
using AlexNet.Inference.Features;
using AlexNet.Models;
using AlexNet.OneDnn;
using AlexNet.Training;

namespace AlexNet.Classification;

/// <summary>
/// An AlexNet image classifier for .NET applications: create one for a list of classes (or from a data set),
/// train it with <see cref="Fit"/>, measure it with <see cref="Evaluate"/>, classify images with
/// <see cref="Predict(string, bool)"/> and <see cref="PredictTop(string, int, bool)"/>, and keep it with
/// <see cref="Save"/> / <see cref="Load"/>. Prediction is safe to call from several threads at once;
/// <see cref="Fit"/> must not run concurrently with anything else on the same instance.
/// </summary>
public sealed class AlexNetClassifier : IDisposable
{
    private readonly IImageDecoder _decoder = new NativeImageDecoder();
    private readonly IBackend _backend;
    private readonly DataRequest? _data;
    private readonly bool _keepsPreprocessing;
    private Network _network;
    private Preprocessing _preprocessing;
    private Predictor _predictor;

    private AlexNetClassifier(Network network, IReadOnlyList<string> classNames, Preprocessing preprocessing, IBackend? backend, DataRequest? data,
        bool keepsPreprocessing = false)
    {
        (_network, ClassNames, _preprocessing, _backend, _data) = (network, classNames, preprocessing, backend ?? BackendResolver.Resolve(BackendChoice.Auto, TextWriter.Null), data);
        _keepsPreprocessing = keepsPreprocessing;
        _predictor = new Predictor(network, preprocessing, classNames, _backend);
    }

    public IReadOnlyList<string> ClassNames { get; }

    public ModelConfig Config => _network.Config;

    /// <summary>How images are scaled, cropped and normalized for this model; set by <see cref="Fit"/> from the data.</summary>
    public Preprocessing Preprocessing => _preprocessing;

    /// <summary>
    /// A new, untrained classifier. Its normalization is neutral (mean 0.5, std 0.25 per channel) until
    /// <see cref="Fit"/> measures the training data.
    /// </summary>
    public static AlexNetClassifier Create(Architecture architecture, IReadOnlyList<string> classNames, ClassifierOptions? options = null)
    {
        options ??= new ClassifierOptions();
        if (classNames.Count < 2) throw new AlexNetException($"A classifier needs at least two classes, got {classNames.Count}.");
        var config = new ModelConfig(architecture, classNames.Count, options.InputChannels ?? 0, options.InputSize ?? 0).Resolve();
        var network = ModelFactory.Create(config, options.Seed);
        return new AlexNetClassifier(network, classNames, NeutralPreprocessing(config), options.Backend, null);
    }

    /// <summary>A new classifier sized for a data set (any layout the toolkit reads); <see cref="Fit(TrainingOptions, string, Action{EpochMetrics}?, CancellationToken)"/> trains on it.</summary>
    public static AlexNetClassifier ForData(string dataPath, Architecture architecture, ClassifierOptions? options = null) =>
        ForData(new DataRequest(dataPath), architecture, options);

    /// <summary>
    /// A new classifier for a data set in the seed's layout: images in train/val/test folders, a JSON file mapping
    /// image id to label name, and a JSON file mapping label name to class index.
    /// </summary>
    public static AlexNetClassifier FromSeedData(string dataPath, string imageLabelsJson, string labelIndexJson,
        Architecture architecture = Architecture.Paper, ClassifierOptions? options = null) =>
        ForData(new DataRequest(dataPath, DataSetLayout.SeedJson, imageLabelsJson, labelIndexJson), architecture, options);

    /// <summary>
    /// A classifier for a data set that starts from pretrained weights (a checkpoint of <c>alexnet import</c>, of
    /// <c>alexnet train</c> or of <see cref="Save"/>), as <c>alexnet train --init</c> does: every parameter that fits
    /// is loaded, the classifier head is new when the data's classes differ from the checkpoint's, and the
    /// checkpoint's preprocessing is kept, since its weights expect it. Train it with <see cref="Fit(TrainingOptions, string, Action{EpochMetrics}?, CancellationToken)"/>;
    /// <see cref="TrainingOptions.FineTune"/> chooses frozen layers and the backbone's learning-rate scale.
    /// <see cref="ClassifierOptions.InputSize"/> changes the input size (the weights must still fit).
    /// </summary>
    public static AlexNetClassifier FromPretrained(string checkpointPath, string dataPath, ClassifierOptions? options = null, Action<string>? log = null)
    {
        options ??= new ClassifierOptions();
        var request = new DataRequest(dataPath);
        var data = TrainingData.Open(request, new NativeImageDecoder());
        var pretrained = PretrainedModel.ForData(checkpointPath, data.ClassNames, null, options.InputSize, options.Seed, log);
        return new AlexNetClassifier(pretrained.Network, data.ClassNames, pretrained.Preprocessing, options.Backend, request, keepsPreprocessing: true);
    }

    /// <summary>Loads a checkpoint written by <see cref="Save"/>, by <c>alexnet train</c> or by <c>alexnet import</c>.</summary>
    public static AlexNetClassifier Load(string path, IBackend? backend = null)
    {
        var checkpoint = Checkpoint.Load(path);
        return new AlexNetClassifier(checkpoint.Network, checkpoint.ClassNames, checkpoint.Preprocessing, backend, null);
    }

    /// <summary>Writes the weights, class names and preprocessing atomically. An existing file is replaced only when <paramref name="overwrite"/> is true.</summary>
    public void Save(string path, bool overwrite = false)
    {
        if (!overwrite && File.Exists(path)) throw new AlexNetException($"'{path}' already exists; pass overwrite: true to replace it.");
        Checkpoint.Save(path, _network, ClassNames, _preprocessing);
    }

    /// <summary>Trains on the data this classifier was made for (<see cref="ForData(string, Architecture, ClassifierOptions?)"/> or <see cref="FromSeedData"/>).</summary>
    public IReadOnlyList<EpochMetrics> Fit(TrainingOptions options, string runDirectory, Action<EpochMetrics>? onEpoch = null, CancellationToken cancellation = default) =>
        Fit(_data ?? throw new AlexNetException("This classifier was not made for a data set; call Fit with a data path."), options, runDirectory, onEpoch, cancellation);

    /// <summary>
    /// Trains on <paramref name="dataPath"/> (its classes must be this model's, in order), writing checkpoints and
    /// metrics to <paramref name="runDirectory"/>, and returns one <see cref="EpochMetrics"/> per epoch. The model
    /// keeps the weights of the last epoch.
    /// </summary>
    public IReadOnlyList<EpochMetrics> Fit(string dataPath, TrainingOptions options, string runDirectory, Action<EpochMetrics>? onEpoch = null,
        CancellationToken cancellation = default) =>
        Fit(new DataRequest(dataPath), options, runDirectory, onEpoch, cancellation);

    /// <summary>
    /// Loss, top-1, top-5 and the confusion matrix on a split of a data set (on all of it when it has no splits, a
    /// folder of class folders say); ten crops per image when asked.
    /// </summary>
    public EvaluationResult Evaluate(string dataPath, DataSplit split = DataSplit.Test, bool tenCrop = false)
    {
        var data = TrainingData.Open(new DataRequest(dataPath), _decoder);
        if (!data.ClassNames.SequenceEqual(ClassNames))
        {
            throw new AlexNetException($"Data set '{data.Path}' has classes [{string.Join(", ", data.ClassNames)}], the model [{string.Join(", ", ClassNames)}].");
        }
        var (source, _) = EvaluationSplits.Choose(data, split);
        if (tenCrop) return TenCropEvaluation.Evaluate(_predictor, source, 0);
        var batches = ImageDataPreparation.EvaluationBatches(source, _preprocessing, 100, 0, $"{data.Path} ({split})");
        return Evaluation.Evaluate(_network, batches, _backend);
    }

    /// <summary>Class probabilities of an image file, in <see cref="ClassNames"/> order; the average over the paper's ten crops by default.</summary>
    public float[] Predict(string imagePath, bool tenCrop = true) => _predictor.Probabilities(LoadImage(imagePath), tenCrop);

    /// <summary>Class probabilities of an encoded JPEG or PNG image held in memory.</summary>
    public float[] Predict(ReadOnlySpan<byte> encodedImage, bool tenCrop = true) =>
        _predictor.Probabilities(_decoder.Decode(encodedImage, "image", _predictor.Crops.Channels), tenCrop);

    /// <summary>The <paramref name="count"/> most likely classes of an image file, most likely first.</summary>
    public IReadOnlyList<ClassScore> PredictTop(string imagePath, int count = 5, bool tenCrop = true) =>
        _predictor.Top(Predict(imagePath, tenCrop), count);

    /// <summary>The <paramref name="count"/> most likely classes of an encoded image held in memory.</summary>
    public IReadOnlyList<ClassScore> PredictTop(ReadOnlySpan<byte> encodedImage, int count = 5, bool tenCrop = true) =>
        _predictor.Top(Predict(encodedImage, tenCrop), count);

    /// <summary>
    /// Writes one row of <paramref name="layer"/>'s activations (pool5, fc6, fc7, relu7 …) per image into
    /// <paramref name="outputPath"/> (.npy or .csv), with the images and labels listed in NAME.images.csv, as
    /// <c>alexnet features</c> does. <paramref name="inputs"/> is a data set (every split, or <paramref name="split"/>)
    /// or image files and folders.
    /// </summary>
    public FeatureExtractionResult ExtractFeatures(IReadOnlyList<string> inputs, string layer, string outputPath, DataSplit? split = null,
        bool overwrite = false, CancellationToken cancellation = default) =>
        FeatureExtraction.Run(_network, _preprocessing, FeatureInputs.Resolve(inputs, split, _decoder), layer, outputPath, _backend,
            overwrite: overwrite, cancellation: cancellation);

    /// <summary>The activations of <paramref name="layer"/> for each image file (centre crop), one row per image.</summary>
    public float[][] Features(IReadOnlyList<string> imagePaths, string layer = "fc7")
    {
        using var extractor = new FeatureExtractor(_network, layer, _backend);
        var rows = new float[imagePaths.Count][];
        var crops = new InferenceCrops(_preprocessing);
        for (var start = 0; start < imagePaths.Count; start += Predictor.ImagesPerPass)
        {
            var count = Math.Min(Predictor.ImagesPerPass, imagePaths.Count - start);
            var batch = new Tensors.Tensor(extractor.InputShape.WithBatch(count));
            for (var i = 0; i < count; i++) crops.Converter.Write(crops.Views(LoadImage(imagePaths[start + i]), tenCrop: false)[0], batch, i);
            var values = extractor.Extract(batch);
            for (var i = 0; i < count; i++) rows[start + i] = values.Slice(i * extractor.Dimension, extractor.Dimension).ToArray();
        }
        return rows;
    }

    public void Dispose() => _predictor.Dispose();

    private static AlexNetClassifier ForData(DataRequest request, Architecture architecture, ClassifierOptions? options)
    {
        options ??= new ClassifierOptions();
        var data = TrainingData.Open(request, new NativeImageDecoder());
        var config = TrainingRuns.ModelFor(data, architecture, options.InputSize);
        if (options.InputChannels is { } channels) config = config with { InputChannels = channels };
        var network = ModelFactory.Create(config, options.Seed);
        return new AlexNetClassifier(network, data.ClassNames, NeutralPreprocessing(network.Config), options.Backend, request);
    }

    private IReadOnlyList<EpochMetrics> Fit(DataRequest request, TrainingOptions options, string runDirectory, Action<EpochMetrics>? onEpoch,
        CancellationToken cancellation)
    {
        var run = new RunDirectory(runDirectory);
        var trainer = TrainingRuns.Start(request, _network.Config.Architecture, _network.Config.InputSize, options, run, _decoder, _backend,
            startFrom: (_network, ClassNames), preprocessing: _keepsPreprocessing ? _preprocessing : null);
        trainer.OnEpoch = onEpoch;
        var history = trainer.Run(cancellation);
        _preprocessing = trainer.Preprocessing;
        _predictor.Dispose();
        _predictor = new Predictor(_network, _preprocessing, ClassNames, _backend);
        return history;
    }

    private Image LoadImage(string path) =>
        RemoteImage.IsUrl(path)
            ? _decoder.Decode(RemoteImage.Download(path), path, _predictor.Crops.Channels)
            : ((NativeImageDecoder)_decoder).Load(path, _predictor.Crops.Channels);

    private static Preprocessing NeutralPreprocessing(ModelConfig config)
    {
        var channels = config.InputChannels;
        return new Preprocessing(Enumerable.Repeat(0.5f, channels).ToArray(), Enumerable.Repeat(0.25f, channels).ToArray(),
            channels == 1 ? ChannelOrder.Gray : ChannelOrder.Rgb, config.InputSize,
            config.InputSize > ImageDataOptions.SmallImageLimit ? SamplePipeline.PaperResize : config.InputSize);
    }
}
