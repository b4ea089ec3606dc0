using AlexNet.Checkpoints;
using AlexNet.Classification;
using AlexNet.Data.Sources;
using AlexNet.Tests.Cli;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Classification;

/// <summary>The library's transfer learning: a classifier from a pretrained checkpoint, fitted with frozen layers, features.</summary>
public sealed class PretrainedClassifierTests(TrainedPhotoModel model) : IClassFixture<TrainedPhotoModel>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-pretrained-classifier-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Two of the three classes, as class folders without splits.</summary>
    private string TwoClasses()
    {
        foreach (var label in new[] { "cat", "coffee" })
        {
            var target = Directory.CreateDirectory(Path.Combine(_folder, "two", label)).FullName;
            foreach (var file in TrainedPhotoModel.Classes[label]) File.Copy(Path.Combine(TrainedPhotoModel.Photos, file), Path.Combine(target, file));
        }
        return Path.Combine(_folder, "two");
    }

    [Fact]
    public void FromPretrainedKeepsWeightsAndPreprocessingAndFitsWithFrozenFeatures()
    {
        var data = TwoClasses();
        var log = new List<string>();
        using var classifier = AlexNetClassifier.FromPretrained(model.Checkpoint, data, log: log.Add);
        var start = Checkpoint.Load(model.Checkpoint);
        Assert.Equal(["cat", "coffee"], classifier.ClassNames);
        Assert.Equal(start.Preprocessing.Mean, classifier.Preprocessing.Mean);
        Assert.Contains("classifier head fc8 is new", Assert.Single(log));

        var history = classifier.Fit(new TrainingOptions(Epochs: 1, BatchSize: 2, ValidationFraction: 0,
            FineTune: new FineTuneOptions(Freeze: "features", BackboneLearningRateScale: 0.1)), Path.Combine(_folder, "run"));
        Assert.Single(history);
        Assert.Equal(start.Preprocessing.Mean, classifier.Preprocessing.Mean);
        var saved = Path.Combine(_folder, "tuned.safetensors");
        classifier.Save(saved);
        var tuned = Checkpoint.Load(saved);
        Assert.Equal(start.Network.Parameters.Single(p => p.Name == "conv5.weight").Value.Data, tuned.Network.Parameters.Single(p => p.Name == "conv5.weight").Value.Data);
        Assert.NotEqual(start.Network.Parameters.Single(p => p.Name == "fc7.weight").Value.Data, tuned.Network.Parameters.Single(p => p.Name == "fc7.weight").Value.Data);

        // A folder without splits is the evaluation set itself.
        var evaluation = classifier.Evaluate(data);
        Assert.Equal(6, evaluation.Count);
    }

    [Fact]
    public void FeaturesOfImagesAndOfADataSet()
    {
        using var classifier = AlexNetClassifier.Load(model.Checkpoint);
        var photos = new[] { "chelsea_422.jpg", "coffee_444.jpg", "astronaut_420.jpg" }.Select(p => Path.Combine(TrainedPhotoModel.Photos, p)).ToArray();
        var rows = classifier.Features(photos, "relu7");
        Assert.Equal(3, rows.Length);
        Assert.All(rows, row => Assert.Equal(512, row.Length));
        Assert.All(rows, row => Assert.All(row, v => Assert.True(v >= 0)));
        Assert.NotEqual(rows[0], rows[1]);

        var written = classifier.ExtractFeatures([model.Data], "relu7", Path.Combine(_folder, "features.csv"), DataSplit.Validation);
        Assert.Equal(9, written.Rows);
        var lines = File.ReadAllLines(written.FeaturesFile);
        var list = File.ReadAllLines(written.ListFile).Skip(1).ToArray();
        var chelsea = Array.FindIndex(list, l => l.Contains("chelsea_422.jpg", StringComparison.Ordinal));
        Assert.Contains(",val,", list[chelsea]);
        var values = lines[chelsea].Split(',').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Support.TensorAssert.Close(rows[0], values, 1e-5, "relu7 of chelsea_422.jpg");
    }
}
