using AlexNet.Classification;
using AlexNet.Data.Sources;
using AlexNet.Models;
using AlexNet.Tests.Cli;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Classification;

public sealed class AlexNetClassifierTests(TrainedPhotoModel model) : IClassFixture<TrainedPhotoModel>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-classifier-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Photo(string name) => Path.Combine(TrainedPhotoModel.Photos, name);

    private static readonly string[] PhotoNames = ["astronaut_420.jpg", "chelsea_422.jpg", "coffee_444.jpg", "chelsea_rgba.png", "coffee_palette.png"];

    [Fact]
    public void FitsEvaluatesPredictsSavesAndLoads()
    {
        using var classifier = AlexNetClassifier.ForData(model.Data, Architecture.Mini, new ClassifierOptions(InputSize: 32, Seed: 3));
        Assert.Equal(["astronaut", "cat", "coffee"], classifier.ClassNames);
        var epochs = new List<int>();
        var history = classifier.Fit(new TrainingOptions(Epochs: 2, BatchSize: 3, Seed: 3), Path.Combine(_folder, "run"), m => epochs.Add(m.Epoch));
        Assert.Equal([1, 2], history.Select(m => m.Epoch));
        Assert.Equal([1, 2], epochs);
        Assert.Equal(3, classifier.Preprocessing.Mean.Length);

        var evaluation = classifier.Evaluate(model.Data, DataSplit.Validation);
        Assert.Equal(9, evaluation.Count);
        Assert.Equal(9, evaluation.Confusion.Sum(row => row.Sum()));

        var probabilities = classifier.Predict(Photo("chelsea_422.jpg"));
        Assert.Equal(3, probabilities.Length);
        Assert.Equal(1.0, probabilities.Sum(), 4);
        var top = classifier.PredictTop(Photo("chelsea_422.jpg"), 2);
        Assert.Equal(2, top.Count);
        Assert.True(top[0].Probability >= top[1].Probability);
        Assert.Equal(probabilities.Max(), top[0].Probability);
        Assert.Equal(classifier.ClassNames[top[0].Index], top[0].Label);

        var saved = Path.Combine(_folder, "model.safetensors");
        classifier.Save(saved);
        var refused = Assert.Throws<AlexNetException>(() => classifier.Save(saved));
        Assert.Contains("model.safetensors", refused.Message);
        using var loaded = AlexNetClassifier.Load(saved);
        Assert.Equal(classifier.ClassNames, loaded.ClassNames);
        Assert.Equal(probabilities, loaded.Predict(Photo("chelsea_422.jpg")));
        Assert.Equal(probabilities, loaded.Predict(File.ReadAllBytes(Photo("chelsea_422.jpg"))));
    }

    [Fact]
    public void PredictionsFromManyThreadsEqualTheSerialOnes()
    {
        using var classifier = AlexNetClassifier.Load(model.Checkpoint);
        var serial = PhotoNames.Select(name => classifier.Predict(Photo(name))).ToArray();
        var parallel = new float[40][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => parallel[i] = classifier.Predict(Photo(PhotoNames[i % PhotoNames.Length])));
        for (var i = 0; i < parallel.Length; i++) Assert.Equal(serial[i % PhotoNames.Length], parallel[i]);
    }

    [Fact]
    public void TenCropPredictionIsTheMeanOfTheTenSingleCropSoftmaxes()
    {
        using var classifier = AlexNetClassifier.Load(model.Checkpoint);
        var decoder = new AlexNet.Imaging.NativeImageDecoder();
        using var predictor = new AlexNet.Inference.Predictor(
            AlexNet.Checkpoints.Checkpoint.Load(model.Checkpoint).Network, classifier.Preprocessing, classifier.ClassNames);
        var image = decoder.Load(Photo("coffee_444.jpg"), 3);
        var views = predictor.Crops.Views(image, tenCrop: true);
        Assert.Equal(10, views.Length);
        var expected = new double[3];
        foreach (var view in views)
        {
            // Each view is already network-sized, so predicting it alone is the single-crop softmax of that view.
            var single = predictor.Probabilities(view, tenCrop: false);
            for (var c = 0; c < 3; c++) expected[c] += single[c] / 10.0;
        }
        var tenCrop = classifier.Predict(Photo("coffee_444.jpg"), tenCrop: true);
        for (var c = 0; c < 3; c++) Assert.Equal(expected[c], tenCrop[c], 5);
    }

    [Fact]
    public void SeedLayoutFactoryReadsTheJsonMaps()
    {
        var root = Path.Combine(_folder, "seed");
        var ids = new Dictionary<string, string>();
        foreach (var split in new[] { "train", "val" })
        {
            Directory.CreateDirectory(Path.Combine(root, split));
            foreach (var (label, files) in TrainedPhotoModel.Classes)
            {
                foreach (var file in files)
                {
                    var id = $"{split}_{Path.GetFileNameWithoutExtension(file)}";
                    File.Copy(Photo(file), Path.Combine(root, split, id + Path.GetExtension(file)));
                    ids[id] = label;
                }
            }
        }
        var labels = Path.Combine(_folder, "image_labels.json");
        var index = Path.Combine(_folder, "label_index.json");
        File.WriteAllText(labels, System.Text.Json.JsonSerializer.Serialize(ids));
        File.WriteAllText(index, """{"coffee": 0, "astronaut": 1, "cat": 2}""");

        using var classifier = AlexNetClassifier.FromSeedData(root, labels, index, Architecture.Mini, new ClassifierOptions(InputSize: 32));
        Assert.Equal(["coffee", "astronaut", "cat"], classifier.ClassNames);
        var history = classifier.Fit(new TrainingOptions(Epochs: 1, BatchSize: 9), Path.Combine(_folder, "seed-run"));
        Assert.Single(history);
        Assert.NotNull(history[0].ValLoss);
    }

    [Fact]
    public void FittingOnDataWithOtherClassesIsRefusedBeforeAnythingIsWritten()
    {
        using var classifier = AlexNetClassifier.Create(Architecture.Mini, ["a", "b", "c"], new ClassifierOptions(InputSize: 32, InputChannels: 3));
        var run = Path.Combine(_folder, "mismatch");
        var error = Assert.Throws<AlexNetException>(() => classifier.Fit(model.Data, new TrainingOptions(Epochs: 1, BatchSize: 9), run));
        Assert.Contains("astronaut", error.Message);
        Assert.False(Directory.Exists(run));
    }
}
