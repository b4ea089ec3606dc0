using System.Text.Json;
using AlexNet.Backends;
using AlexNet.Checkpoints;
using AlexNet.Data.Images;
using AlexNet.Models;
using AlexNet.Training;

namespace AlexNet.Reporting;

/// <summary>
/// Everything a run report shows: the recipe, the per-epoch history, and the best checkpoint evaluated on
/// the validation split (the test split when the run had none; null when the data has neither).
/// </summary>
public sealed record RunReport(
    string Title,
    RunDescription Description,
    ModelConfig Model,
    long ParameterCount,
    IReadOnlyList<EpochMetrics> History,
    DataStatistics? Statistics,
    IReadOnlyList<string> ClassNames,
    string CheckpointFile,
    int CheckpointEpoch,
    ReportEvaluation? Evaluation)
{
    /// <summary>
    /// Reads a run directory (metrics.jsonl, run.json, best.safetensors or else last.safetensors), reopens
    /// its data and evaluates the checkpoint. Every missing or unreadable file is an
    /// <see cref="AlexNetException"/> naming it.
    /// </summary>
    public static RunReport Create(string runDirectory, IImageDecoder decoder, IBackend? backend = null, RunReportOptions? options = null,
        CancellationToken cancellation = default)
    {
        options = (options ?? new RunReportOptions()).Validate();
        var run = new RunDirectory(runDirectory);
        if (!Directory.Exists(run.Path)) throw new AlexNetException($"Run directory '{run.Path}' does not exist.");
        var history = ReadHistory(run);
        var checkpointPath = File.Exists(run.BestCheckpoint) ? run.BestCheckpoint
            : File.Exists(run.LastCheckpoint) ? run.LastCheckpoint
            : throw new AlexNetException($"Run directory '{run.Path}' has no checkpoint: neither '{run.BestCheckpoint}' nor '{run.LastCheckpoint}' exists.");
        if (!File.Exists(run.RunDescriptionFile))
        {
            throw new AlexNetException($"'{run.RunDescriptionFile}' does not exist; the report needs it to find the run's data.");
        }
        var description = run.ReadDescription();
        var checkpoint = Checkpoint.Load(checkpointPath);
        var network = checkpoint.Network;

        ReportEvaluation? evaluation = null;
        if (ReportData.Open(description, checkpoint, decoder, checkpointPath, options.Workers) is (var batches, var split))
        {
            var collector = new PredictionCollector(batches.Count, options.Samples, options.MistakeCount, checkpoint.Preprocessing);
            using var plan = (backend ?? ManagedBackend.Instance).CreatePlan(network);
            var result = Training.Evaluation.Evaluate(plan, network.Config.Classes, batches, cancellation, collector.Observe);
            evaluation = new ReportEvaluation(split, batches.Name, result, collector.Samples, collector.Mistakes);
        }
        return new RunReport(
            Path.GetFileName(run.Path),
            description,
            network.Config,
            network.ParameterCount,
            history,
            ReadStatistics(run),
            Data.SynsetWords.Apply(options.ClassNamesFile ?? description.Data.ClassNamesFile, checkpoint.ClassNames),
            Path.GetFileName(checkpointPath),
            checkpoint.Training?.CompletedEpochs ?? 0,
            evaluation);
    }

    /// <summary>data-stats.json only adds figures to the report; a run without it still gets one.</summary>
    private static DataStatistics? ReadStatistics(RunDirectory run)
    {
        if (!File.Exists(run.DataStatisticsFile)) return null;
        try
        {
            return JsonSerializer.Deserialize<DataStatistics>(UserFiles.Run($"read '{run.DataStatisticsFile}'", () => File.ReadAllText(run.DataStatisticsFile)), JsonDefaults.Options);
        }
        catch (JsonException e)
        {
            throw new AlexNetException($"'{run.DataStatisticsFile}' is not valid data statistics: {e.Message}", e);
        }
    }

    private static IReadOnlyList<EpochMetrics> ReadHistory(RunDirectory run)
    {
        if (!File.Exists(run.Metrics)) throw new AlexNetException($"'{run.Metrics}' does not exist: the run has no finished epoch to report.");
        IReadOnlyList<EpochMetrics> history;
        try
        {
            history = UserFiles.Run($"read metrics file '{run.Metrics}'", run.ReadMetrics);
        }
        catch (JsonException e)
        {
            throw new AlexNetException($"'{run.Metrics}' is not valid metrics (one JSON object per line): {e.Message}", e);
        }
        if (history.Count == 0) throw new AlexNetException($"'{run.Metrics}' holds no epochs: the run has no finished epoch to report.");
        return history;
    }
}
