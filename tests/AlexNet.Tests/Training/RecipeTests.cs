using AlexNet.Backends;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Sources;
using AlexNet.Data.Transforms;
using AlexNet.Distributed;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Training;

/// <summary>The seed projects' recipe in the trainer: early stopping, batch-normalized training and resumption, augmentation.</summary>
public sealed class RecipeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-recipe-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly ImageDataset Train32 = SyntheticData.Squares(192, size: 32, seed: 11);
    private static readonly ImageDataset Validation32 = SyntheticData.Squares(64, size: 32, seed: 12);
    private static readonly Preprocessing Normalization = Preprocessing.FromStatistics(Train32);

    private static ModelConfig SmallKeras => new(Architecture.KerasCifar10, Classes: 4, InputChannels: 1, InputSize: 32,
        Widths: new LayerWidths(8, 16, 16, 16, 8, 32, 16));

    private static IBatchProvider Batches(ImageDataset data, TrainingOptions options, bool shuffle) =>
        new InMemoryBatches(data, Normalization, options.BatchSize, shuffle, options.Seed);

    private Trainer Start(string name, Network network, TrainingOptions options) =>
        Trainer.StartNew(network, options, Batches(Train32, options, true), Batches(Validation32, options, false), Normalization,
            new RunDirectory(Path.Combine(_folder, name)));

    [Fact]
    public void EarlyStoppingEndsTheRunAndAResumedRunHonoursIt()
    {
        // A learning rate too small to move any weight, and no batch normalization whose running statistics would move:
        // the validation loss never improves after the first epoch.
        var options = new TrainingOptions(Epochs: 6, BatchSize: 64, LearningRate: 1e-30, Schedule: new ScheduleOptions(ScheduleKind.Constant), Seed: 2,
            EarlyStop: 2);
        var trainer = Start("early", ModelFactory.Create(new ModelConfig(Architecture.Mini, 4, 1, 32), 2), options);
        var history = trainer.Run();
        Assert.True(trainer.StoppedEarly);
        Assert.Equal(3, history.Count);
        var saved = Checkpoint.Load(Path.Combine(_folder, "early", "last.safetensors")).Training!;
        Assert.Equal((3, 2), (saved.CompletedEpochs, saved.EpochsWithoutImprovement));

        var resumed = Trainer.Resume(new RunDirectory(Path.Combine(_folder, "early")), Batches(Train32, options, true), Batches(Validation32, options, false), epochs: 10);
        Assert.Equal(3, resumed.Run().Count);
        Assert.True(resumed.StoppedEarly);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_folder, "early", "metrics.jsonl")).Length);
    }

    [Fact]
    public void KerasCifar10LearnsAndResumesBitForBitRunningStatisticsIncluded()
    {
        var options = new TrainingOptions(Epochs: 3, BatchSize: 32, LearningRate: 0.01, Seed: 7,
            Schedule: new ScheduleOptions(ScheduleKind.Plateau, Factor: 0.01, Patience: 0, MinLearningRate: 1e-5, Monitor: PlateauMonitor.ValTop1));
        var straight = Start("straight", ModelFactory.Create(SmallKeras, 7), options);
        var straightHistory = straight.Run();
        // (Validation reads running statistics that Keras's momentum of 0.99 has barely moved in 18 steps: training figures tell.)
        Assert.True(straightHistory[^1].TrainLoss < 0.8 * straightHistory[0].TrainLoss,
            $"training loss fell only from {straightHistory[0].TrainLoss} to {straightHistory[^1].TrainLoss}");

        Start("resumed", ModelFactory.Create(SmallKeras, 7), options with { Epochs = 1 }).Run();
        var resumed = Trainer.Resume(new RunDirectory(Path.Combine(_folder, "resumed")), Batches(Train32, options, true), Batches(Validation32, options, false), epochs: 3);
        var resumedHistory = resumed.Run();

        Assert.Equal(straightHistory.Select(m => (m.TrainLoss, m.ValTop1, m.Lr)), resumedHistory.Select(m => (m.TrainLoss, m.ValTop1, m.Lr)));
        foreach (var ((name, expected), (_, actual)) in straight.Network.StoredTensors.Zip(resumed.Network.StoredTensors))
        {
            Assert.True(expected.Data.SequenceEqual(actual.Data), $"{name} differs after resuming");
        }
        Assert.Equal(PlateauMonitor.ValTop1, resumed.State.Options.ScheduleSettings.Monitor);
    }

    [Fact]
    public void ALastTrainingBatchOfOneImageIsRefusedBeforeTraining()
    {
        var data = SyntheticData.Squares(65, size: 32, seed: 3);
        var options = new TrainingOptions(Epochs: 1, BatchSize: 32);
        var error = Assert.Throws<AlexNetException>(() => Trainer.StartNew(ModelFactory.Create(SmallKeras, 1), options,
            new InMemoryBatches(data, Normalization, 32, true, 1), null, Normalization, new RunDirectory(Path.Combine(_folder, "one"))));
        Assert.Contains("bn", error.Message);
        Assert.Contains("--batch-size", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "one")));
    }

    [Fact]
    public void BatchNormalizationOnSeveralRanksIsRefusedBeforeTraining()
    {
        var options = new TrainingOptions(Epochs: 1, BatchSize: 32);
        var error = Assert.Throws<AlexNetException>(() => Trainer.StartNew(ModelFactory.Create(SmallKeras, 1), options, Batches(Train32, options, true), null,
            Normalization, new RunDirectory(Path.Combine(_folder, "ranks")), group: new SecondOfTwoRanks()));
        Assert.Contains("keras-cifar10 model's batch normalization ('bn1' and the others)", error.Message);
        Assert.Contains("on 2 ranks", error.Message);
        Assert.Contains("without mpirun", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_folder, "ranks")));
    }

    /// <summary>A rank of a two-process group that is never asked to exchange anything (the refusal comes first).</summary>
    private sealed class SecondOfTwoRanks : ITrainingGroup
    {
        public int Rank => 1;

        public int Size => 2;

        public IGradientExchange ExchangeGradients(IExecutionPlan plan, IReadOnlyList<Parameter> parameters) =>
            throw new InvalidOperationException("not reached");

        public void Sum(double[] values) => throw new InvalidOperationException("not reached");

        // Every rank fails alike here; the real group would name them all.
        public void Agree(Exception? failure)
        {
            if (failure is not null) throw failure;
        }

        public void Broadcast(float[] values) => throw new InvalidOperationException("not reached");

        public byte[] Broadcast(byte[]? content) => throw new InvalidOperationException("not reached");
    }

    [Fact]
    public void AugmentedIdxDataGoesThroughTheLoaderAndItsDrawsDependOnlyOnTheSample()
    {
        var source = new IdxSource(SyntheticData.Squares(40, size: 28, seed: 4), "squares");
        var dataSet = new DataSet("squares", DataSetLayout.Idx, source.ClassNames, source, null, null);
        PreparedData Prepare(int workers, AugmentOptions? augment) => TrainingData.Prepare(dataSet, new DataRequest("squares", Workers: workers),
            new ImageDataOptions(32, 1, 8, Seed: 5, ValidationFraction: 0, Workers: workers, Augment: augment));

        Assert.IsType<InMemoryBatches>(TrainingData.Prepare(dataSet, new DataRequest("squares"), new ImageDataOptions(28, 1, 8, 5, 0)).Train);
        var augment = AugmentOptions.Parse("rotate=2,zoom=0.1,flip");
        var one = Prepare(1, augment).Train;
        Assert.IsType<LoaderBatches>(one);
        var two = Prepare(2, augment).Train.Epoch(1).ToList();
        var first = one.Epoch(1).ToList();
        Assert.Equal(first.SelectMany(b => b.Images.Data), two.SelectMany(b => b.Images.Data));
        var otherEpoch = one.Epoch(2).ToList();
        Assert.NotEqual(first.SelectMany(b => b.Images.Data), otherEpoch.SelectMany(b => b.Images.Data));
        // Without rotation or zoom an image is only resized (and maybe flipped): augmented batches differ from both.
        var plain = Prepare(1, AugmentOptions.Parse("none")).Train.Epoch(1).ToList();
        Assert.NotEqual(first.SelectMany(b => b.Images.Data), plain.SelectMany(b => b.Images.Data));
    }
}
