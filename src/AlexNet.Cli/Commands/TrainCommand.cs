using System.CommandLine;
using System.Globalization;
using AlexNet.Data;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet train</c>: with no arguments, trains <c>mini</c> on Fashion-MNIST for a short schedule and writes
/// a run directory; <c>--resume RUN_DIR</c> continues a run from its last checkpoint.
/// </summary>
public static class TrainCommand
{
    /// <summary>The short default schedule: long enough to pass 90 % test accuracy, short enough for a demo.</summary>
    public const int DefaultEpochs = 3;

    public static Command Create(TextWriter output)
    {
        var arch = CommonOptions.Architecture("mini");
        var data = CommonOptions.FashionMnistData();
        var epochs = new Option<int?>("--epochs") { Description = $"Epochs to train (default {DefaultEpochs}; with --resume, the new total)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate", DefaultValueFactory = _ => 0.01 };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Use Nesterov momentum" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 5e-4 };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd or adam", DefaultValueFactory = _ => "sgd" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var schedule = new Option<string>("--schedule") { Description = "constant, step or plateau", DefaultValueFactory = _ => "constant" };
        schedule.AcceptOnlyFromAmong("constant", "step", "plateau");
        var stepSize = new Option<int>("--step-size") { Description = "Epochs between lr drops (step schedule)", DefaultValueFactory = _ => 30 };
        var patience = new Option<int>("--patience") { Description = "Epochs without improvement before an lr drop (plateau)", DefaultValueFactory = _ => 2 };
        var seed = new Option<ulong>("--seed") { Description = "Seed for initialization, shuffling and dropout", DefaultValueFactory = _ => 1UL };
        var valSplit = new Option<double>("--val-split") { Description = "Fraction of the training set held out for validation", DefaultValueFactory = _ => 0.1 };
        var outDir = new Option<string?>("--out") { Description = "Run directory to create (default runs/<arch>-<time>)" };
        var resume = new Option<string?>("--resume") { Description = "Run directory to continue from its last.safetensors" };

        var command = new Command("train", "Train a model on Fashion-MNIST and write a run directory")
        {
            arch, data, epochs, batchSize, lr, momentum, nesterov, weightDecay, optimizer, schedule, stepSize, patience, seed, valSplit, outDir, resume,
        };
        command.SetAction((result, cancellation) =>
        {
            var dataDirectory = result.GetValue(data)!;
            var trainer = result.GetValue(resume) is { } resumeDirectory
                ? ResumeRun(resumeDirectory, dataDirectory, result.GetValue(epochs), output)
                : StartRun(result, output, dataDirectory, new TrainingOptions(
                    Epochs: result.GetValue(epochs) ?? DefaultEpochs,
                    BatchSize: result.GetValue(batchSize),
                    LearningRate: result.GetValue(lr),
                    Optimizer: result.GetValue(optimizer) == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd,
                    Sgd: new SgdOptions(result.GetValue(momentum), result.GetValue(weightDecay), result.GetValue(nesterov)),
                    Adam: new AdamOptions(WeightDecay: result.GetValue(weightDecay)),
                    Schedule: new ScheduleOptions(Enum.Parse<ScheduleKind>(result.GetValue(schedule)!, ignoreCase: true), result.GetValue(stepSize), Patience: result.GetValue(patience)),
                    Seed: result.GetValue(seed),
                    ValidationFraction: result.GetValue(valSplit)).Validate(),
                    ArchitectureNames.Parse(result.GetValue(arch)!), result.GetValue(outDir));
            return Task.FromResult(RunTrainer(trainer.Trainer, trainer.Run, output, cancellation));
        });
        return command;
    }

    private static (Trainer Trainer, RunDirectory Run) StartRun(ParseResult result, TextWriter output, string dataDirectory,
        TrainingOptions options, Architecture architecture, string? outDirectory)
    {
        var run = new RunDirectory(outDirectory ?? Path.Combine("runs", $"{architecture.ToName()}-{DateTime.Now:yyyyMMdd-HHmmss}"));
        run.EnsureNoRun();
        var (train, validation) = ValidationSplit.HoldOut(FashionMnist.LoadTrain(dataDirectory), options.ValidationFraction, options.Seed);
        var config = new ModelConfig(architecture, train.ClassNames.Count, train.Channels, train.Height);
        var network = ModelFactory.Create(config, options.Seed);
        var preprocessing = Preprocessing.FromStatistics(train);
        output.WriteLine($"Training {architecture.ToName()} ({network.ParameterCount:N0} parameters) on {train.Count:N0} Fashion-MNIST images, validating on {validation?.Count ?? 0:N0}.");
        output.WriteLine($"Recipe: {options.Epochs} epochs, batch {options.BatchSize}, {options.Optimizer.ToString().ToLowerInvariant()} lr {options.LearningRate:G}, schedule {options.ScheduleSettings.Kind.ToString().ToLowerInvariant()}, seed {options.Seed}.");
        return (Trainer.StartNew(network, options, train, validation, preprocessing, run), run);
    }

    private static (Trainer Trainer, RunDirectory Run) ResumeRun(string directory, string dataDirectory, int? epochs, TextWriter output)
    {
        var run = new RunDirectory(directory);
        var lastOptions = Checkpoints.Checkpoint.Load(run.LastCheckpoint).Training?.Options
            ?? throw new AlexNetException($"'{run.LastCheckpoint}' holds no training state to resume from.");
        var (train, validation) = ValidationSplit.HoldOut(FashionMnist.LoadTrain(dataDirectory), lastOptions.ValidationFraction, lastOptions.Seed);
        var trainer = Trainer.Resume(run, train, validation, epochs);
        output.WriteLine($"Resuming '{run.Path}' after epoch {trainer.State.CompletedEpochs} of {trainer.State.Options.Epochs}.");
        return (trainer, run);
    }

    private static int RunTrainer(Trainer trainer, RunDirectory run, TextWriter output, CancellationToken cancellation)
    {
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        var progress = new Action<StepProgress>(p =>
        {
            if (!interactive) return;
            Console.Write($"\repoch {p.Epoch}/{p.Epochs}  batch {p.Batch}/{p.Batches}  loss {p.RunningLoss:F4}  top-1 {p.RunningTop1:P2}  {p.ImagesPerSec:F0} img/s   ");
        });
        var epochDone = new Action<EpochMetrics>(m =>
        {
            if (interactive) Console.Write("\r" + new string(' ', 100) + "\r");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {m.Epoch}  lr {m.Lr:G4}  train loss {m.TrainLoss:F4} top-1 {m.TrainTop1:P2}  val loss {Show(m.ValLoss, "F4")} top-1 {Show(m.ValTop1, "P2")} top-5 {Show(m.ValTop5, "P2")}  {m.ImagesPerSec:F0} img/s  {m.Seconds:F1} s"));
        });
        trainer.OnProgress = progress;
        trainer.OnEpoch = epochDone;
        trainer.Run(cancellation);
        output.WriteLine($"Run directory: {run.Path}");
        output.WriteLine($"  best checkpoint: {run.BestCheckpoint}");
        output.WriteLine($"  evaluate it with: ./alexnet evaluate --model {run.BestCheckpoint}");
        return 0;
    }

    private static string Show(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "–";
}
