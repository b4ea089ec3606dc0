using System.Text;
using AlexNet.Backends;
using AlexNet.Data.Images;
using AlexNet.Distributed;
using AlexNet.Data.Sources;
using AlexNet.Models;

namespace AlexNet.Training;

/// <summary>
/// Starts and resumes training runs from a data request: opens the data, sizes the model for it, prepares the
/// batches and statistics, and writes the run's description so that <see cref="Resume"/> can reopen all of it.
/// The CLI's train command and the library's classifier both go through here.
/// </summary>
public static class TrainingRuns
{
    /// <summary>
    /// The model configuration for <paramref name="data"/>: its classes; for the small-image architectures its own
    /// channels, and for <c>mini</c> its own image size (32 for images of mixed sizes; keras-cifar10 takes 32); for the
    /// ImageNet-sized architectures RGB at their input size.
    /// </summary>
    public static ModelConfig ModelFor(DataSet data, Architecture architecture, int? inputSize = null)
    {
        var channels = architecture.TakesSmallImages() ? TrainingData.NativeChannels(data) : 3;
        var size = inputSize ?? (architecture == Architecture.Mini ? TrainingData.NativeSize(data) ?? 32 : new ModelConfig(architecture).Resolve().InputSize);
        return new ModelConfig(architecture, data.ClassNames.Count, channels, size);
    }

    /// <summary>
    /// Prepares a new run in <paramref name="run"/> (which must not hold one). <paramref name="startFrom"/> continues
    /// from given weights whose classes must be the data's, in order, fed as <paramref name="preprocessing"/> says when
    /// given; with the recipe's <see cref="FineTuneOptions.InitFrom"/> the model starts from that checkpoint
    /// (<see cref="PretrainedModel"/>; <paramref name="architecture"/> null takes the checkpoint's); otherwise a model
    /// for the data is created from the seed (<paramref name="architecture"/> null: mini). In a data-parallel run every
    /// rank calls this: each opens the data (and the checkpoint to start from) and prepares its shard, rank 0's weights
    /// are sent to the others, rank 0 writes the run directory, and an error on any rank stops all of them.
    /// </summary>
    public static Trainer Start(DataRequest request, Architecture? architecture, int? inputSize, TrainingOptions options, RunDirectory run,
        IImageDecoder decoder, IBackend? backend = null, Action<string>? log = null,
        (Network Network, IReadOnlyList<string> ClassNames)? startFrom = null, Data.Preprocessing? preprocessing = null, ITrainingGroup? group = null)
    {
        group ??= ITrainingGroup.SingleProcess;
        PreparedData? prepared = null;
        Network? network = null;
        Exception? failure = null;
        try
        {
            options.Validate();
            group.Shard.CheckDivides(options.BatchSize, "--batch-size");
            if (group.IsWriter) run.EnsureNoRun();
            var dataSet = TrainingData.Open(request, decoder);
            // Checked now rather than when the report is written at the end of training.
            if (request.ClassNamesFile is { } namesFile) Data.SynsetWords.Read(namesFile).Readable(dataSet.ClassNames);
            if (startFrom is null && options.FineTuneSettings.InitFrom is { } init)
            {
                var pretrained = PretrainedModel.ForData(init, dataSet.ClassNames, architecture, inputSize, options.Seed, log);
                (startFrom, preprocessing) = ((pretrained.Network, dataSet.ClassNames), pretrained.Preprocessing);
            }
            network = startFrom?.Network;
            var config = network?.Config ?? ModelFor(dataSet, architecture ?? Architecture.Mini, inputSize);
            if (startFrom is { ClassNames: var classNames } && !classNames.SequenceEqual(dataSet.ClassNames))
            {
                throw new AlexNetException($"Data set '{dataSet.Path}' has classes [{Names(dataSet.ClassNames)}]; the model has [{Names(classNames)}].");
            }
            network ??= ModelFactory.Create(config, options.Seed);
            LayerFreezing.LastFrozenLayer(network, options.FineTuneSettings.Freeze); // a wrong layer name fails before the images are read
            prepared = TrainingData.Prepare(dataSet, request,
                new ImageDataOptions(config.InputSize, config.InputChannels, options.BatchSize, options.Seed, options.ValidationFraction, Augment: options.Augment,
                    Preprocessing: preprocessing, Shard: group.Shard), log);
            log?.Invoke($"Training {config.Architecture.ToName()} ({network.ParameterCount:N0} parameters, input {config.InputChannels}×{config.InputSize}×{config.InputSize}) " +
                $"on {prepared.Train.Count:N0} images of {dataSet.Path} ({dataSet.Layout}), validating on {prepared.Validation?.Count ?? 0:N0}.");
            log?.Invoke($"Recipe: {options.Epochs} epochs, batch {options.BatchSize}, {options.Optimizer.ToString().ToLowerInvariant()} lr {options.LearningRate:G}, " +
                $"schedule {Schedule(options)}, seed {options.Seed}" + (options.Augment is { } augment ? $", augment {augment}" : "")
                + (options.EarlyStop > 0 ? $", early stop after {options.EarlyStop} epochs without improvement" : "") + ".");
        }
        catch (Exception e)
        {
            failure = e;
        }
        group.Agree(failure);
        var data = prepared!;
        CheckSameData(group, data, log, options.BatchSize);
        var trainer = Trainer.StartNew(network!, options, data.Train, data.Validation, data.Preprocessing, run, backend, group);
        failure = null;
        try
        {
            if (group.IsWriter) WriteRunFiles(run, new RunDescription(request, network!.Config, options, preprocessing), data, log);
        }
        catch (Exception e)
        {
            failure = e;
        }
        group.Agree(failure);
        return trainer;
    }

    private static void WriteRunFiles(RunDirectory run, RunDescription description, PreparedData prepared, Action<string>? log)
    {
        run.WriteDescription(description);
        run.WriteDataStatistics(prepared.Statistics);
        if (prepared.BadImages.Count > 0)
        {
            run.WriteBadImages(prepared.BadImages);
            log?.Invoke($"Skipped {prepared.BadImages.Count:N0} bad images; they are listed in {run.BadImagesFile}.");
        }
    }

    private static string Schedule(TrainingOptions options)
    {
        var s = options.ScheduleSettings;
        var name = s.Kind.ToString().ToLowerInvariant();
        return s.Kind == Optim.ScheduleKind.Plateau
            ? $"{name} ({Optim.PlateauMonitorNames.ToName(s.Monitor)}, patience {s.Patience}, factor {s.Factor:G}, min lr {s.MinLearningRate:G})"
            : name;
    }

    private static string Names(IReadOnlyList<string> names) => string.Join(", ", names.Take(12)) + (names.Count > 12 ? ", …" : "");

    /// <summary>
    /// Reopens the data of the run in <paramref name="run"/> and continues it from its last checkpoint. In a data-parallel
    /// run rank 0 reads the run's files and sends them to the others; the number of ranks may differ from before.
    /// </summary>
    public static Trainer Resume(RunDirectory run, IImageDecoder decoder, int? epochs = null, IBackend? backend = null, Action<string>? log = null,
        ITrainingGroup? group = null)
    {
        group ??= ITrainingGroup.SingleProcess;
        string? descriptionText = null;
        Exception? failure = null;
        try
        {
            if (group.IsWriter) descriptionText = run.ReadDescriptionText();
        }
        catch (Exception e)
        {
            failure = e;
        }
        group.Agree(failure);
        descriptionText = Encoding.UTF8.GetString(group.Broadcast(descriptionText is null ? null : Encoding.UTF8.GetBytes(descriptionText)));
        PreparedData? prepared = null;
        try
        {
            var description = run.ParseDescription(descriptionText);
            var config = description.Model.Resolve();
            var options = description.Training;
            group.Shard.CheckDivides(options.BatchSize, "The run's --batch-size");
            var dataSet = TrainingData.Open(description.Data, decoder);
            prepared = TrainingData.Prepare(dataSet, description.Data,
                new ImageDataOptions(config.InputSize, config.InputChannels, options.BatchSize, options.Seed, options.ValidationFraction, Augment: options.Augment,
                    Preprocessing: description.Preprocessing, Shard: group.Shard), log);
        }
        catch (Exception e)
        {
            failure = e;
        }
        group.Agree(failure);
        var data = prepared!;
        CheckSameData(group, data, log, run.ParseDescription(descriptionText).Training.BatchSize);
        var trainer = Trainer.Resume(run, data.Train, data.Validation, epochs, backend, group);
        var within = trainer.State.Partial is { } partial ? $", {partial.Batches} batches into epoch {trainer.State.CompletedEpochs + 1}" : "";
        log?.Invoke($"Resuming '{run.Path}' after epoch {trainer.State.CompletedEpochs} of {trainer.State.Options.Epochs}{within}.");
        return trainer;
    }

    /// <summary>
    /// Every rank must read the same data set (each opens it itself, from its own machine's copy): compares what each
    /// saw, its classes, image counts and pixel statistics, with rank 0's, and stops all ranks when one differs.
    /// </summary>
    private static void CheckSameData(ITrainingGroup group, PreparedData prepared, Action<string>? log, int batchSize)
    {
        if (group.Size == 1) return;
        var mine = DataFingerprint.Of(prepared);
        var first = DataFingerprint.FromJson(Encoding.UTF8.GetString(group.Broadcast(group.IsWriter ? Encoding.UTF8.GetBytes(mine.ToJson()) : null)));
        group.Agree(mine.DifferenceFrom(first) is { } difference
            ? new AlexNetException($"its data set differs from rank 0's: {difference}. Every rank must read the same data.")
            : null);
        log?.Invoke($"Data-parallel on {group.Size} ranks: each trains on {batchSize / group.Size} images of every batch of {batchSize}.");
    }
}
