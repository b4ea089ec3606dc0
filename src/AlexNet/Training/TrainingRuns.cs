using AlexNet.Backends;
using AlexNet.Data.Images;
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
    /// The model configuration for <paramref name="data"/>: its classes; for <c>mini</c> its own channels and image
    /// size (32 for images of mixed sizes); for the ImageNet-sized architectures RGB at their input size.
    /// </summary>
    public static ModelConfig ModelFor(DataSet data, Architecture architecture, int? inputSize = null)
    {
        var mini = architecture == Architecture.Mini;
        var channels = mini ? TrainingData.NativeChannels(data) : 3;
        var size = inputSize ?? (mini ? TrainingData.NativeSize(data) ?? 32 : new ModelConfig(architecture).Resolve().InputSize);
        return new ModelConfig(architecture, data.ClassNames.Count, channels, size);
    }

    /// <summary>
    /// Prepares a new run in <paramref name="run"/> (which must not hold one). <paramref name="startFrom"/> continues
    /// from given weights whose classes must be the data's, in order, fed as <paramref name="preprocessing"/> says when
    /// given; with the recipe's <see cref="FineTuneOptions.InitFrom"/> the model starts from that checkpoint
    /// (<see cref="PretrainedModel"/>; <paramref name="architecture"/> null takes the checkpoint's); otherwise a model
    /// for the data is created from the seed (<paramref name="architecture"/> null: mini).
    /// </summary>
    public static Trainer Start(DataRequest request, Architecture? architecture, int? inputSize, TrainingOptions options, RunDirectory run,
        IImageDecoder decoder, IBackend? backend = null, Action<string>? log = null,
        (Network Network, IReadOnlyList<string> ClassNames)? startFrom = null, Data.Preprocessing? preprocessing = null)
    {
        options.Validate();
        run.EnsureNoRun();
        var dataSet = TrainingData.Open(request, decoder);
        // Checked now rather than when the report is written at the end of training.
        if (request.ClassNamesFile is { } namesFile) Data.SynsetWords.Read(namesFile).Readable(dataSet.ClassNames);
        if (startFrom is null && options.FineTuneSettings.InitFrom is { } init)
        {
            var pretrained = PretrainedModel.ForData(init, dataSet.ClassNames, architecture, inputSize, options.Seed, log);
            (startFrom, preprocessing) = ((pretrained.Network, dataSet.ClassNames), pretrained.Preprocessing);
        }
        var network = startFrom?.Network;
        var config = network?.Config ?? ModelFor(dataSet, architecture ?? Architecture.Mini, inputSize);
        if (startFrom is { ClassNames: var classNames } && !classNames.SequenceEqual(dataSet.ClassNames))
        {
            throw new AlexNetException($"Data set '{dataSet.Path}' has classes [{Names(dataSet.ClassNames)}]; the model has [{Names(classNames)}].");
        }
        network ??= ModelFactory.Create(config, options.Seed);
        LayerFreezing.LastFrozenLayer(network, options.FineTuneSettings.Freeze); // a wrong layer name fails before the images are read
        var prepared = TrainingData.Prepare(dataSet, request,
            new ImageDataOptions(config.InputSize, config.InputChannels, options.BatchSize, options.Seed, options.ValidationFraction, Preprocessing: preprocessing), log);
        log?.Invoke($"Training {config.Architecture.ToName()} ({network.ParameterCount:N0} parameters, input {config.InputChannels}×{config.InputSize}×{config.InputSize}) " +
            $"on {prepared.Train.Count:N0} images of {dataSet.Path} ({dataSet.Layout}), validating on {prepared.Validation?.Count ?? 0:N0}.");
        log?.Invoke($"Recipe: {options.Epochs} epochs, batch {options.BatchSize}, {options.Optimizer.ToString().ToLowerInvariant()} lr {options.LearningRate:G}, " +
            $"schedule {options.ScheduleSettings.Kind.ToString().ToLowerInvariant()}, seed {options.Seed}.");
        var trainer = Trainer.StartNew(network, options, prepared.Train, prepared.Validation, prepared.Preprocessing, run, backend);
        run.WriteDescription(new RunDescription(request, config, options, preprocessing));
        run.WriteDataStatistics(prepared.Statistics);
        if (prepared.BadImages.Count > 0)
        {
            run.WriteBadImages(prepared.BadImages);
            log?.Invoke($"Skipped {prepared.BadImages.Count:N0} bad images; they are listed in {run.BadImagesFile}.");
        }
        return trainer;
    }

    private static string Names(IReadOnlyList<string> names) => string.Join(", ", names.Take(12)) + (names.Count > 12 ? ", …" : "");

    /// <summary>Reopens the data of the run in <paramref name="run"/> and continues it from its last checkpoint.</summary>
    public static Trainer Resume(RunDirectory run, IImageDecoder decoder, int? epochs = null, IBackend? backend = null, Action<string>? log = null)
    {
        var description = run.ReadDescription();
        var config = description.Model.Resolve();
        var options = description.Training;
        var dataSet = TrainingData.Open(description.Data, decoder);
        var prepared = TrainingData.Prepare(dataSet, description.Data,
            new ImageDataOptions(config.InputSize, config.InputChannels, options.BatchSize, options.Seed, options.ValidationFraction,
                Preprocessing: description.Preprocessing), log);
        var trainer = Trainer.Resume(run, prepared.Train, prepared.Validation, epochs, backend);
        var within = trainer.State.Partial is { } partial ? $", {partial.Batches} batches into epoch {trainer.State.CompletedEpochs + 1}" : "";
        log?.Invoke($"Resuming '{run.Path}' after epoch {trainer.State.CompletedEpochs} of {trainer.State.Options.Epochs}{within}.");
        return trainer;
    }
}
