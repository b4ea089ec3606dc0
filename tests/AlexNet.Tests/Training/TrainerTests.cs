using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tests.Support;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Training;

public sealed class TrainerTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-trainer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly ImageDataset Train = SyntheticData.Squares(384, seed: 1);
    private static readonly ImageDataset Validation = SyntheticData.Squares(128, seed: 2);

    private static readonly Preprocessing Normalization = Preprocessing.FromStatistics(Train);

    private static IBatchProvider TrainBatches(TrainingOptions options) => new InMemoryBatches(Train, Normalization, options.BatchSize, shuffle: true, options.Seed);

    private static IBatchProvider ValidationBatches => new InMemoryBatches(Validation, Normalization, 100, shuffle: false, seed: 0);

    private Trainer NewTrainer(string name, TrainingOptions options)
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, Train.ClassNames.Count), options.Seed);
        return Trainer.StartNew(network, options, TrainBatches(options), ValidationBatches, Normalization, new RunDirectory(Path.Combine(_folder, name)));
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd)]
    [InlineData(OptimizerKind.Adam)]
    public void ResumingContinuesExactlyAsIfNeverStopped(OptimizerKind optimizer)
    {
        var options = new TrainingOptions(Epochs: 3, BatchSize: 64, LearningRate: optimizer == OptimizerKind.Adam ? 1e-3 : 0.01,
            Optimizer: optimizer, Schedule: new ScheduleOptions(ScheduleKind.Step, StepSize: 1, Gamma: 0.5), Seed: 9);
        var straight = NewTrainer("straight", options);
        var straightHistory = straight.Run();

        NewTrainer("interrupted", options with { Epochs = 1 }).Run();
        var resumed = Trainer.Resume(new RunDirectory(Path.Combine(_folder, "interrupted")), TrainBatches(options), ValidationBatches, epochs: 3);
        var resumedHistory = resumed.Run();

        Assert.Equal(straightHistory.Select(m => (m.TrainLoss, m.ValLoss, m.Lr)), resumedHistory.Select(m => (m.TrainLoss, m.ValLoss, m.Lr)));
        for (var i = 0; i < straight.Network.Parameters.Count; i++)
        {
            Assert.Equal(straight.Network.Parameters[i].Value.Data, resumed.Network.Parameters[i].Value.Data);
        }
        Assert.Equal(3, File.ReadAllLines(Path.Combine(_folder, "interrupted", "metrics.jsonl")).Length);
    }

    [Fact]
    public void AStopRequestMidEpochSavesTheStepAndResumingFinishesExactly()
    {
        var options = new TrainingOptions(Epochs: 2, BatchSize: 64, LearningRate: 0.01, Seed: 4);
        var straight = NewTrainer("straight-steps", options);
        var straightHistory = straight.Run();

        // Ask to stop after the third step of the first epoch: the step in flight completes, then the run saves.
        using var stop = new CancellationTokenSource();
        var interrupted = NewTrainer("stopped", options);
        var steps = 0;
        interrupted.OnStep = () => { if (++steps == 3) stop.Cancel(); };
        var partialHistory = interrupted.Run(stop.Token);
        Assert.True(interrupted.Interrupted);
        Assert.Empty(partialHistory);
        var saved = Checkpoint.Load(Path.Combine(_folder, "stopped", "last.safetensors"));
        Assert.Equal(3, saved.Training!.Step);
        Assert.Equal(3, saved.Training.Partial!.Batches);

        var resumed = Trainer.Resume(new RunDirectory(Path.Combine(_folder, "stopped")), TrainBatches(options), ValidationBatches);
        var resumedHistory = resumed.Run();
        Assert.False(resumed.Interrupted);
        Assert.Equal(straightHistory.Select(m => (m.TrainLoss, m.TrainTop1, m.ValLoss)), resumedHistory.Select(m => (m.TrainLoss, m.TrainTop1, m.ValLoss)));
        for (var i = 0; i < straight.Network.Parameters.Count; i++)
        {
            Assert.Equal(straight.Network.Parameters[i].Value.Data, resumed.Network.Parameters[i].Value.Data);
        }
    }

    [Fact]
    public void BestByTop1KeepsTheEpochWithTheHighestValidationAccuracy()
    {
        var trainer = NewTrainer("best-top1", new TrainingOptions(Epochs: 3, BatchSize: 32, LearningRate: 0.02, Seed: 5, BestBy: BestBy.Top1));
        var history = trainer.Run();
        var bestEpoch = history.Select((m, i) => (m.ValTop1, Epoch: i + 1)).OrderByDescending(x => x.ValTop1!.Value).ThenBy(x => x.Epoch).First().Epoch;
        var best = Checkpoint.Load(Path.Combine(_folder, "best-top1", "best.safetensors"));
        Assert.Equal(bestEpoch, best.Training!.CompletedEpochs);
    }

    [Fact]
    public void LearnsASimpleTaskAndWritesTheRunFiles()
    {
        var trainer = NewTrainer("learn", new TrainingOptions(Epochs: 3, BatchSize: 32, LearningRate: 0.01, Seed: 3));
        var history = trainer.Run();
        Assert.True(history[^1].TrainLoss < history[0].TrainLoss, $"loss did not fall: {history[0].TrainLoss} → {history[^1].TrainLoss}");
        Assert.True(history[^1].ValTop1 > 0.9, $"validation top-1 only {history[^1].ValTop1}");
        var run = new RunDirectory(Path.Combine(_folder, "learn"));
        Assert.True(File.Exists(run.BestCheckpoint));
        var best = Checkpoint.Load(run.BestCheckpoint);
        var evaluation = Evaluation.Evaluate(best.Network, Validation, best.Preprocessing);
        Assert.True(evaluation.Top1 > 0.9);
        Assert.Equal(Validation.Count, evaluation.Confusion.Sum(row => row.Sum()));
        var lines = File.ReadAllLines(run.Metrics);
        Assert.Equal(3, lines.Length);
        foreach (var key in new[] { "\"epoch\"", "\"lr\"", "\"train_loss\"", "\"train_top1\"", "\"val_loss\"", "\"val_top1\"", "\"val_top5\"", "\"images_per_sec\"", "\"seconds\"" })
        {
            Assert.Contains(key, lines[0]);
        }
    }

    [Fact]
    public void ARunDirectoryIsNeverReusedForANewRun()
    {
        NewTrainer("once", new TrainingOptions(Epochs: 1, BatchSize: 128)).Run();
        var before = File.ReadAllBytes(Path.Combine(_folder, "once", "last.safetensors"));
        var error = Assert.Throws<AlexNetException>(() => NewTrainer("once", new TrainingOptions(Epochs: 1, BatchSize: 128)));
        Assert.Contains("already holds a run", error.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(_folder, "once", "last.safetensors")));
    }

    [Fact]
    public void DivergenceStopsWithAMessageNamingTheLearningRate()
    {
        var trainer = NewTrainer("diverge", new TrainingOptions(Epochs: 2, BatchSize: 64, LearningRate: 1e9, Seed: 2));
        var error = Assert.Throws<AlexNetException>(() => trainer.Run());
        Assert.Contains("training loss became", error.Message);
        Assert.Contains("--lr", error.Message);
    }

    [Fact]
    public void ZeroBatchSizeIsRefusedWithTheOptionName()
    {
        var error = Assert.Throws<AlexNetException>(() => new TrainingOptions(BatchSize: 0).Validate());
        Assert.Contains("--batch-size", error.Message);
    }
}
