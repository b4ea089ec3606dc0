using System.Diagnostics;
using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Sources;
using AlexNet.Models;
using AlexNet.Tensors;
using AlexNet.Layers;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Cli;

/// <summary>
/// Transfer learning from the command line: train --init with --freeze and --backbone-lr-mult (new head, kept
/// preprocessing, resume, best, report), features to .npy and .csv with their image lists, and evaluation on a
/// folder without splits.
/// </summary>
public sealed class TransferCliTests(TrainedPhotoModel photoModel) : IClassFixture<TrainedPhotoModel>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-transfer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Path(params string[] parts) => System.IO.Path.Combine([_folder, .. parts]);

    /// <summary>The photographs in class folders with no train/val/test level, two of the three classes.</summary>
    private string UnsplitPhotos(params string[] classes)
    {
        foreach (var label in classes)
        {
            var target = Directory.CreateDirectory(Path("unsplit", label)).FullName;
            foreach (var file in TrainedPhotoModel.Classes[label]) File.Copy(System.IO.Path.Combine(TrainedPhotoModel.Photos, file), System.IO.Path.Combine(target, file));
        }
        return Path("unsplit");
    }

    [Fact]
    public void FineTuningStartsFromTheCheckpointWithANewHeadAndResumes()
    {
        var source = IdxFolder.Write(Path("source"), SyntheticData.Squares(192, classes: 4, seed: 1), null, ["a", "b", "c", "d"]);
        var target = IdxFolder.Write(Path("target"), SyntheticData.Squares(96, classes: 3, seed: 2), SyntheticData.Squares(48, classes: 3, seed: 3), ["x", "y", "z"]);
        var pretrain = CliRun.Run("train", "--data", source, "--epochs", "1", "--batch-size", "32", "--val-split", "0", "--out", Path("pre"), "--backend", "managed");
        Assert.True(pretrain.Code == 0, pretrain.Error);
        var pretrained = Path("pre", "last.safetensors");

        var tune = CliRun.Run("train", "--data", target, "--init", pretrained, "--freeze", "features", "--backbone-lr-mult", "0.5", "--epochs", "1",
            "--batch-size", "32", "--out", Path("tuned"), "--backend", "managed");
        Assert.True(tune.Code == 0, tune.Error);
        Assert.Contains("14 of 16 parameters loaded; the classifier head fc8 is new", tune.Output);
        Assert.Contains("4 classes (a, b, c, d) are not the data's 3 (x, y, z)", tune.Output);
        using (var run = JsonDocument.Parse(File.ReadAllText(Path("tuned", "run.json"))))
        {
            var fineTune = run.RootElement.GetProperty("training").GetProperty("fine_tune");
            Assert.Equal(pretrained, fineTune.GetProperty("init_from").GetString());
            Assert.Equal("features", fineTune.GetProperty("freeze").GetString());
            Assert.Equal(0.5, fineTune.GetProperty("backbone_learning_rate_scale").GetDouble());
        }

        var resumed = CliRun.Run("train", "--resume", Path("tuned"), "--epochs", "2", "--backend", "managed");
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.Equal(2, File.ReadAllLines(Path("tuned", "metrics.jsonl")).Length);
        Assert.True(File.Exists(Path("tuned", "report.html")));
        var best = Checkpoint.Load(Path("tuned", "best.safetensors"));
        var start = Checkpoint.Load(pretrained);
        Assert.Equal(["x", "y", "z"], best.ClassNames);
        Assert.Equal(start.Preprocessing.Mean, best.Preprocessing.Mean);
        Assert.Equal(start.Preprocessing.Std, best.Preprocessing.Std);
        Assert.Equal(start.Network.Parameters[0].Value.Data, Checkpoint.Load(Path("tuned", "last.safetensors")).Network.Parameters[0].Value.Data);

        var evaluate = CliRun.Run("evaluate", "--model", Path("tuned", "best.safetensors"), "--data", target, "--json", "--backend", "managed");
        Assert.True(evaluate.Code == 0, evaluate.Error);
        Assert.Equal(48, JsonDocument.Parse(evaluate.Output).RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public void BadFineTuningChoicesFailBeforeTraining()
    {
        var data = UnsplitPhotos("astronaut", "cat");
        var unknownLayer = CliRun.Run("train", "--data", data, "--init", photoModel.Checkpoint, "--freeze", "fc9", "--out", Path("bad1"), "--backend", "managed");
        Assert.Equal(1, unknownLayer.Code);
        Assert.Contains("--freeze: the mini model has no layer 'fc9'", unknownLayer.Error);
        Assert.False(File.Exists(Path("bad1", "metrics.jsonl")));

        var wrongSize = CliRun.Run("train", "--data", data, "--init", photoModel.Checkpoint, "--input-size", "48", "--out", Path("bad2"), "--backend", "managed");
        Assert.Equal(1, wrongSize.Code);
        Assert.Contains("'fc6.weight' is", wrongSize.Error);

        var wrongMultiplier = CliRun.Run("train", "--data", data, "--init", photoModel.Checkpoint, "--backbone-lr-mult", "-1", "--out", Path("bad3"));
        Assert.Equal(1, wrongMultiplier.Code);
        Assert.Contains("--backbone-lr-mult must be a positive number", wrongMultiplier.Error);
    }

    [Fact]
    public void FineTuningOnPhotoFoldersKeepsTheCheckpointsPreprocessing()
    {
        var data = UnsplitPhotos("astronaut", "coffee");
        var tune = CliRun.Run("train", "--data", data, "--init", photoModel.Checkpoint, "--freeze", "conv3", "--epochs", "1", "--batch-size", "2",
            "--val-split", "0", "--out", Path("photos-tuned"), "--backend", "managed");
        Assert.True(tune.Code == 0, tune.Error);
        var start = Checkpoint.Load(photoModel.Checkpoint);
        var tuned = Checkpoint.Load(Path("photos-tuned", "last.safetensors"));
        Assert.Equal(start.Preprocessing.Mean, tuned.Preprocessing.Mean);
        Assert.Equal(start.Preprocessing.InputSize, tuned.Preprocessing.InputSize);
        Assert.Equal(["astronaut", "coffee"], tuned.ClassNames);
        foreach (var name in new[] { "conv1.weight", "conv2.bias", "conv3.weight" })
        {
            Assert.Equal(start.Network.Parameters.Single(p => p.Name == name).Value.Data, tuned.Network.Parameters.Single(p => p.Name == name).Value.Data);
        }
        Assert.NotEqual(start.Network.Parameters.Single(p => p.Name == "conv4.weight").Value.Data,
            tuned.Network.Parameters.Single(p => p.Name == "conv4.weight").Value.Data);
    }

    [Fact]
    public void EvaluateTakesAFolderWithoutSplitsAsTheEvaluationSet()
    {
        var data = UnsplitPhotos("astronaut", "cat", "coffee");
        var result = CliRun.Run("evaluate", "--model", photoModel.Checkpoint, "--data", data, "--json", "--backend", "managed");
        Assert.True(result.Code == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        Assert.Equal(9, json.RootElement.GetProperty("count").GetInt32());
        Assert.Contains("all images", json.RootElement.GetProperty("data").GetString());
    }

    [Fact]
    public void FeaturesOfADataSetAreWrittenAsNpyThatNumpyReads()
    {
        var data = IdxFolder.Write(Path("idx"), SyntheticData.Squares(70, classes: 3, seed: 6), SyntheticData.Squares(30, classes: 3, seed: 7), ["x", "y", "z"]);
        var model = Path("mini.safetensors");
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, 3), 9);
        var preprocessing = new Preprocessing([0.2f], [0.3f], ChannelOrder.Gray, 28, 28);
        Checkpoint.Save(model, network, ["x", "y", "z"], preprocessing);

        var result = CliRun.Run("features", "--model", model, "--layer", "relu7", data, "--out", Path("f.npy"), "--backend", "managed");
        Assert.True(result.Code == 0, result.Error);
        Assert.Contains("Wrote 100 × 512 features of relu7", result.Output);
        var list = File.ReadAllLines(Path("f.images.csv"));
        Assert.Equal("row,split,path,label,class", list[0]);
        Assert.Equal(101, list.Length);
        Assert.StartsWith("0,train,", list[1]);
        Assert.StartsWith("70,test,", list[71]);

        // What the network computes up to relu7, layer by layer, for the first and the last image.
        var test = IdxSource.Open(Path("idx", "t10k-images-idx3-ubyte"), Path("idx", "t10k-labels-idx1-ubyte"), ["x", "y", "z"]).Dataset;
        var train = IdxSource.Open(Path("idx", "train-images-idx3-ubyte"), Path("idx", "train-labels-idx1-ubyte"), ["x", "y", "z"]).Dataset;
        var expected = new List<float[]>();
        foreach (var (set, index) in new[] { (train, 0), (test, 29) })
        {
            var input = new Tensor(1, 1, 28, 28);
            preprocessing.Apply(set.Image(index), input, 0);
            var x = input;
            foreach (var layer in network.Layers.TakeWhile(l => l.Name != "drop7")) x = layer.Forward(x, ForwardContext.Inference);
            expected.Add(x.Data);
            Assert.Equal($"{set.Labels[index]},{new[] { "x", "y", "z" }[set.Labels[index]]}", string.Join(',', list[index == 0 ? 1 : 100].Split(',')[^2..]));
        }
        var numpy = Python("import numpy as np, sys; a = np.load(sys.argv[1]); print(a.dtype, a.shape); " +
            "print(' '.join(repr(float(v)) for v in np.concatenate([a[0], a[-1]])))", Path("f.npy"));
        var lines = numpy.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("float32 (100, 512)", lines[0]);
        var values = lines[1].Split(' ').Select(v => float.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        TensorAssert.Close(expected[0].Concat(expected[1]).ToArray(), values, 1e-5, "relu7 of images 0 and 99");
        Assert.Contains(values, v => v > 0);

        var again = CliRun.Run("features", "--model", model, data, "--out", Path("f.npy"));
        Assert.Equal(1, again.Code);
        Assert.Contains("already exists", again.Error);
    }

    [Fact]
    public void FeaturesOfImageFilesGoToCsvWithoutLabels()
    {
        var photos = System.IO.Path.Combine(TrainedPhotoModel.Photos);
        var files = new[] { "chelsea_422.jpg", "coffee_444.jpg" }.Select(f => System.IO.Path.Combine(photos, f)).ToArray();
        var result = CliRun.Run(["features", "--model", photoModel.Checkpoint, "--layer", "pool5", .. files, "--out", Path("photos.csv"), "--backend", "managed"]);
        Assert.True(result.Code == 0, result.Error);
        var rows = File.ReadAllLines(Path("photos.csv"));
        Assert.Equal(2, rows.Length);
        var checkpoint = Checkpoint.Load(photoModel.Checkpoint);
        var pool5 = checkpoint.Network.Summary.Single(s => s.Name == "pool5").OutputShape.ElementCount;
        Assert.All(rows, row => Assert.Equal(pool5, row.Split(',').Length));
        Assert.Equal($"1,,{files[1]},,", File.ReadAllLines(Path("photos.images.csv"))[2]);

        var badLayer = CliRun.Run("features", "--model", photoModel.Checkpoint, "--layer", "conv9", files[0], "--out", Path("x.npy"));
        Assert.Equal(1, badLayer.Code);
        Assert.Contains("--layer: the mini model has no layer 'conv9'", badLayer.Error);
        var badExtension = CliRun.Run("features", "--model", photoModel.Checkpoint, files[0], "--out", Path("x.txt"));
        Assert.Equal(1, badExtension.Code);
        Assert.Contains("write features to a .npy or a .csv file", badExtension.Error);
        Assert.False(File.Exists(Path("x.npy")));
    }

    private static string Python(string code, params string[] arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(code);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
