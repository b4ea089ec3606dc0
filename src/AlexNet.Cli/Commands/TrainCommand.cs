using System.CommandLine;
using AlexNet.Backends;
using AlexNet.Distributed;
using AlexNet.Mpi;
using AlexNet.Cli.Display;
using AlexNet.Data.Transforms;
using AlexNet.Imaging;
using AlexNet.Models;
using AlexNet.OneDnn;
using AlexNet.Reporting;
using AlexNet.Optim;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet train</c>: with no arguments, trains <c>mini</c> on Fashion-MNIST for a short schedule and writes
/// a run directory; <c>--data</c> takes any data set the pipeline reads; <c>--resume RUN_DIR</c> continues a
/// run from its last checkpoint.
/// </summary>
public static class TrainCommand
{
    /// <summary>The short default schedule: long enough to pass 88 % test accuracy, short enough for a demo.</summary>
    public const int DefaultEpochs = 3;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var arch = CommonOptions.Architecture("mini");
        var data = new CommonOptions.DataOptions();
        var epochs = new Option<int?>("--epochs") { Description = $"Epochs to train (default {DefaultEpochs}; with --resume, the new total)" };
        var batchSize = new Option<int>("--batch-size") { Description = "Images per step", DefaultValueFactory = _ => 128 };
        var lr = new Option<double>("--lr") { Description = "Initial learning rate", DefaultValueFactory = _ => 0.01 };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0.9 };
        var nesterov = new Option<bool>("--nesterov") { Description = "Use Nesterov momentum" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "L2 weight decay", DefaultValueFactory = _ => 5e-4 };
        var optimizer = new Option<string>("--optimizer") { Description = "sgd or adam", DefaultValueFactory = _ => "sgd" };
        optimizer.AcceptOnlyFromAmong("sgd", "adam");
        var schedule = new Option<string>("--schedule")
        {
            Description = "plateau (the paper's: lr ÷10 when the validation loss stops improving), step or constant",
            DefaultValueFactory = _ => "plateau",
        };
        schedule.AcceptOnlyFromAmong("constant", "step", "plateau");
        var stepSize = new Option<int>("--step-size") { Description = "Epochs between lr drops (step schedule)", DefaultValueFactory = _ => 30 };
        var patience = new Option<int>("--patience") { Description = "Epochs without improvement before an lr drop (plateau)", DefaultValueFactory = _ => 2 };
        var plateauFactor = new Option<double>("--plateau-factor") { Description = "What the plateau schedule multiplies the lr by", DefaultValueFactory = _ => 0.1 };
        var plateauMonitor = new Option<string>("--plateau-monitor")
        {
            Description = "What the plateau schedule watches: val_loss or val_top1 (the training figure when there is no validation data)",
            DefaultValueFactory = _ => "val_loss",
        };
        plateauMonitor.AcceptOnlyFromAmong("val_loss", "val_top1");
        var minLr = new Option<double>("--min-lr") { Description = "The lowest lr the plateau schedule goes to", DefaultValueFactory = _ => 1e-6 };
        var earlyStop = new Option<int>("--early-stop")
        {
            Description = "Stop after N epochs in which the --best-by figure did not improve (0: never)",
            DefaultValueFactory = _ => 0,
        };
        var augment = new Option<string?>("--augment")
        {
            Description = "Training augmentation like Keras's ImageDataGenerator, e.g. rotate=2,zoom=0.1,flip (also shift=FRACTION, or none); " +
                "replaces the default (a flip for small images, the paper's crops and flip otherwise)",
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed for initialization, shuffling, augmentation and dropout", DefaultValueFactory = _ => 1UL };
        var valSplit = new Option<double>("--val-split") { Description = "Fraction of the training images held out when the data has no validation split", DefaultValueFactory = _ => 0.1 };
        var inputSize = new Option<int?>("--input-size") { Description = "Input side in pixels (default: 227 paper, 224 torchvision, the data's own size or 32 for mini)" };
        var skipBad = new Option<bool>("--skip-bad-images") { Description = "Skip images that do not decode (listed in the run's bad-images.txt) instead of stopping" };
        var outDir = new Option<string?>("--out") { Description = "Run directory to create (default runs/<arch>-<time>)" };
        var resume = new Option<string?>("--resume") { Description = "Run directory to continue from its last.safetensors" };
        var force = new Option<bool>("--force") { Description = "Start a new run in --out even if it holds an earlier run (its run files are replaced)" };
        var bestBy = new Option<string>("--best-by") { Description = "What best.safetensors keeps: lowest validation loss or highest validation top-1", DefaultValueFactory = _ => "loss" };
        bestBy.AcceptOnlyFromAmong("loss", "top1");
        var backendOption = CommonOptions.Backend();
        var classNames = CommonOptions.ClassNames();
        var bucketMb = new Option<double>("--bucket-mb")
        {
            Description = "Under mpirun: megabytes of gradients reduced together, each bucket as soon as backward has produced it",
            DefaultValueFactory = _ => 25,
        };
        var peerTimeout = new Option<double>("--peer-timeout")
        {
            Description = "Under mpirun: seconds without a sign of life from a rank before the others stop",
            DefaultValueFactory = _ => 30,
        };
        var allReduce = CommonOptions.AllReduce();
        var init = new Option<string?>("--init") { Description = "Start from this checkpoint's weights (imported or trained); a new classifier head when the classes differ" };
        var freeze = new Option<string?>("--freeze") { Description = "Keep fixed: 'features' (every convolution layer) or a layer and everything before it (e.g. fc6)" };
        var backboneLr = new Option<double>("--backbone-lr-mult") { Description = "Learning rate of the layers before the classifier head, as a multiple of --lr", DefaultValueFactory = _ => 1.0 };

        var command = new Command("train", "Train a model and write a run directory (metrics.jsonl, last/best checkpoints)")
        {
            arch, epochs, batchSize, lr, momentum, nesterov, weightDecay, optimizer, schedule, stepSize, patience, plateauFactor, plateauMonitor, minLr, seed, valSplit,
            inputSize, skipBad, outDir, resume, force, bestBy, earlyStop, augment, backendOption, classNames, init, freeze, backboneLr, bucketMb, peerTimeout, allReduce,
        };
        foreach (var option in data.All) command.Add(option);
        // How a resumed run is computed, not what it computes: the only options --resume takes besides --epochs.
        Option[] runtimeOptions = [resume, epochs, backendOption, bucketMb, peerTimeout, allReduce];
        command.SetAction((result, cancellation) =>
        {
            if (result.GetValue(resume) is not null) RefuseRecipeOptionsOnResume(result, command.Options.Except(runtimeOptions));
            if (result.GetValue(resume) is null && result.GetValue(schedule) != "plateau")
            {
                RefuseOptionsOfAnotherSchedule(result, result.GetValue(schedule)!, plateauFactor, plateauMonitor, minLr);
            }
            var ranks = DataParallelProcess.Join(new MpiGroupOptions(result.GetValue(bucketMb), result.GetValue(peerTimeout),
                AllReduce: MpiGroupOptions.ParseAllReduce(result.GetValue(allReduce)!)), output, error);
            return Task.FromResult(ranks.Run(() => Train(result, ranks, ranks.StopRequests(cancellation))));
        });
        return command;

        int Train(ParseResult result, DataParallelProcess ranks, CancellationToken cancellation)
        {
            var output = ranks.Output;
            var group = ranks.Group;
            var backend = BackendResolver.Resolve(CommonOptions.ParseBackend(result.GetValue(backendOption)!), output);
            var (trainer, run) = result.GetValue(resume) is { } resumeDirectory
                ? ResumeRun(resumeDirectory, result.GetValue(epochs), output, backend, group)
                : StartRun(output, backend, group, data.Request(result, result.GetValue(skipBad)) with
                    {
                        ClassNamesFile = result.GetValue(classNames) is { } namesFile ? Path.GetFullPath(namesFile) : null,
                    }, ChosenArchitecture(result, arch, init),
                    result.GetValue(inputSize), result.GetValue(outDir), result.GetValue(force), new TrainingOptions(
                        Epochs: result.GetValue(epochs) ?? DefaultEpochs,
                        BatchSize: result.GetValue(batchSize),
                        LearningRate: result.GetValue(lr),
                        Optimizer: result.GetValue(optimizer) == "adam" ? OptimizerKind.Adam : OptimizerKind.Sgd,
                        Sgd: new SgdOptions(result.GetValue(momentum), result.GetValue(weightDecay), result.GetValue(nesterov)),
                        Adam: new AdamOptions(WeightDecay: result.GetValue(weightDecay)),
                        Schedule: new ScheduleOptions(Enum.Parse<ScheduleKind>(result.GetValue(schedule)!, ignoreCase: true), result.GetValue(stepSize),
                            Factor: result.GetValue(plateauFactor), Patience: result.GetValue(patience), MinLearningRate: result.GetValue(minLr),
                            Monitor: result.GetValue(plateauMonitor) == "val_top1" ? PlateauMonitor.ValTop1 : PlateauMonitor.ValLoss),
                        Seed: result.GetValue(seed),
                        ValidationFraction: result.GetValue(valSplit),
                        BestBy: result.GetValue(bestBy) == "top1" ? BestBy.Top1 : BestBy.Loss,
                        Augment: result.GetValue(augment) is { } text ? AugmentOptions.Parse(text) : null,
                        EarlyStop: result.GetValue(earlyStop),
                        FineTune: FineTuning(result, init, freeze, backboneLr)).Validate());
            return RunTrainer(trainer, run, backend, ranks, cancellation);
        }
    }

    /// <summary>
    /// The plateau schedule's settings given with another schedule would be silently ignored: refused, naming the option.
    /// </summary>
    /// <summary>
    /// A resumed run continues with the recipe, data and model saved in its directory: an option that would change them
    /// is refused rather than silently ignored.
    /// </summary>
    private static void RefuseRecipeOptionsOnResume(ParseResult result, IEnumerable<Option> recipeOptions)
    {
        var given = recipeOptions.Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count == 0) return;
        throw new AlexNetException($"--resume continues the run with the recipe, data and model saved in it; {string.Join(", ", given)} would be ignored. " +
            "Leave them out (only --epochs, --backend, --bucket-mb, --peer-timeout and --allreduce apply to a resumed run), or start a new run.");
    }

    private static void RefuseOptionsOfAnotherSchedule(ParseResult result, string scheduleName, params Option[] plateauOptions)
    {
        foreach (var option in plateauOptions)
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                throw new AlexNetException($"{option.Name} sets the plateau schedule, but --schedule is {scheduleName}; add --schedule plateau or leave {option.Name} out.");
            }
        }
    }

    /// <summary>With --init the checkpoint tells the architecture, unless --arch is given explicitly.</summary>
    private static Architecture? ChosenArchitecture(ParseResult result, Option<string> arch, Option<string?> init) =>
        result.GetValue(init) is not null && result.GetResult(arch) is null or { Implicit: true } ? null : ArchitectureNames.Parse(result.GetValue(arch)!);

    private static FineTuneOptions? FineTuning(ParseResult result, Option<string?> init, Option<string?> freeze, Option<double> backboneLr)
    {
        var options = new FineTuneOptions(result.GetValue(init), result.GetValue(freeze), result.GetValue(backboneLr));
        return options == new FineTuneOptions() ? null : options;
    }

    private static (Trainer Trainer, RunDirectory Run) StartRun(TextWriter output, IBackend backend, ITrainingGroup group, DataRequest request,
        Architecture? architecture, int? inputSize, string? outDirectory, bool force, TrainingOptions options)
    {
        // Every rank needs the same directory name: rank 0's clock picks it.
        var defaultName = System.Text.Encoding.UTF8.GetString(group.Broadcast(group.IsWriter
            ? System.Text.Encoding.UTF8.GetBytes($"{architecture?.ToName() ?? "finetune"}-{DateTime.Now:yyyyMMdd-HHmmss}")
            : null));
        var run = new RunDirectory(outDirectory ?? Path.Combine("runs", defaultName));
        if (force && run.HoldsRun && group.IsWriter)
        {
            run.RemoveRunFiles();
            output.WriteLine($"--force: replaced the earlier run in '{run.Path}'.");
        }
        var trainer = TrainingRuns.Start(request, architecture, inputSize, options, run, new NativeImageDecoder(), backend, output.WriteLine, group: group);
        return (trainer, run);
    }

    private static (Trainer Trainer, RunDirectory Run) ResumeRun(string directory, int? epochs, TextWriter output, IBackend backend, ITrainingGroup group)
    {
        var run = new RunDirectory(directory);
        return (TrainingRuns.Resume(run, new NativeImageDecoder(), epochs, backend, output.WriteLine, group), run);
    }

    private static int RunTrainer(Trainer trainer, RunDirectory run, IBackend backend, DataParallelProcess ranks, CancellationToken cancellation)
    {
        var output = ranks.Output;
        ITrainingDisplay.For(output).Run(trainer, cancellation);
        if (trainer.StoppedEarly)
        {
            var state = trainer.State;
            output.WriteLine($"Stopped early after epoch {state.CompletedEpochs}: validation {(state.Options.BestBy == BestBy.Top1 ? "top-1" : "loss")} " +
                $"did not improve for {state.Options.EarlyStop} epochs.");
        }
        if (trainer.Interrupted)
        {
            var state = trainer.State;
            output.WriteLine($"Stopped during epoch {state.CompletedEpochs + 1} after step {state.Step}; the weights and the optimizer state are saved in {run.LastCheckpoint}.");
            output.WriteLine(ranks.IsDataParallel
                ? $"Continue with: mpirun -np {ranks.Group.Size} ./alexnet train --resume {run.Path}   (any number of ranks that divides --batch-size {state.Options.BatchSize})"
                : $"Continue with: ./alexnet train --resume {run.Path}");
            ranks.EndCollectives();
            // mpirun ends a job when any rank exits with an error status: rank 0 alone reports the stop, so that the
            // others cannot cut its message off.
            return ranks.Group.IsWriter ? InterruptedExitCode : 0;
        }
        ranks.EndCollectives();
        if (!ranks.Group.IsWriter) return 0;
        var report = RunReportWriter.Write(run.Path, new NativeImageDecoder(), backend, cancellation: cancellation);
        output.WriteLine($"Run directory: {run.Path}");
        output.WriteLine($"  report: {report}");
        output.WriteLine($"  best checkpoint: {run.BestCheckpoint}");
        output.WriteLine($"  evaluate it with: ./alexnet evaluate --model {run.BestCheckpoint}");
        return 0;
    }

    /// <summary>What shells report for a process stopped by Ctrl+C (128 + SIGINT).</summary>
    public const int InterruptedExitCode = 130;
}
