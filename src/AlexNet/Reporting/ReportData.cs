using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Sources;
using AlexNet.Training;

namespace AlexNet.Reporting;

/// <summary>
/// Reopens the images a run validated on, from its run.json: the data set's own validation split, or the
/// same seeded hold-out of the training images that <see cref="TrainingData.Prepare"/> made; the test split
/// when the run had no validation images. Rebuilding only that split avoids re-scanning and re-measuring the
/// whole training set, which <see cref="TrainingData.Prepare"/> would do. Images are fed through the
/// checkpoint's own preprocessing, exactly as the trainer's validation pass saw them.
/// </summary>
public static class ReportData
{
    /// <summary>The batches to evaluate and which split they are, or null when the data has neither split.</summary>
    public static (IBatchProvider Batches, EvaluatedSplit Split)? Open(RunDescription run, CheckpointContents checkpoint, IImageDecoder decoder, string checkpointPath, int workers)
    {
        var data = TrainingData.Open(run.Data, decoder);
        if (!data.ClassNames.SequenceEqual(checkpoint.ClassNames))
        {
            throw new AlexNetException(
                $"Checkpoint '{checkpointPath}' has {checkpoint.ClassNames.Count} classes that differ from the {data.ClassNames.Count} of '{data.Path}'; has the data changed since the run?");
        }
        var config = checkpoint.Network.Config;
        var recipe = run.Training;
        if (data.Train is IdxSource train && config.InputChannels == 1 && config.InputSize == train.Dataset.Height)
        {
            // The trainer batched these in memory (TrainingData.InMemory); so does this.
            var validation = data.Validation is IdxSource given
                ? given.Dataset
                : ValidationSplit.HoldOut(train.Dataset, recipe.ValidationFraction, recipe.Seed).Validation;
            if (validation is { Count: > 0 }) return (InMemory(validation, checkpoint.Preprocessing, $"{data.Path} (validation)"), EvaluatedSplit.Validation);
            return data.Test is IdxSource test ? (InMemory(test.Dataset, checkpoint.Preprocessing, $"{data.Path} (test)"), EvaluatedSplit.Test) : null;
        }

        var heldOut = data.Validation
            ?? (data.Train is not null && recipe.ValidationFraction > 0 ? ImageDataPreparation.HoldOut(data.Train, recipe.ValidationFraction, recipe.Seed).Validation : null);
        var (source, split) = heldOut is { Count: > 0 } ? (heldOut, EvaluatedSplit.Validation) : (data.Test, EvaluatedSplit.Test);
        if (source is null || source.Count == 0) return null;
        if (run.Data.SkipBadImages) source = WithoutBad(source, config.InputChannels, workers);
        var name = $"{data.Path} ({(split == EvaluatedSplit.Validation ? "validation" : "test")})";
        // The batch size of the run, as its validation pass used: per-image results then match the logged ones exactly.
        return (ImageDataPreparation.EvaluationBatches(source, checkpoint.Preprocessing, recipe.BatchSize, workers, name), split);
    }

    private static InMemoryBatches InMemory(ImageDataset images, Preprocessing preprocessing, string name) =>
        new(new ImageDataset(name, images.Pixels, images.Labels, images.Channels, images.Height, images.Width, images.ClassNames), preprocessing, 500, shuffle: false, seed: 0);

    /// <summary>The run skipped images that do not decode; skip the same ones here.</summary>
    private static ISampleSource WithoutBad(ISampleSource source, int channels, int workers)
    {
        var report = ImageScan.Run(source, channels, workers > 0 ? workers : Environment.ProcessorCount);
        return report.IsClean ? source : FilteredSource.WithoutBad(source, report);
    }
}
