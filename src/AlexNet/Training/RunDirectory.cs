using System.Text.Json;
using AlexNet.Checkpoints;

namespace AlexNet.Training;

/// <summary>
/// The files of one training run: metrics.jsonl, last.safetensors, best.safetensors and run.json (the
/// recipe and data). A new run refuses a folder that already holds a run, so nothing is overwritten.
/// </summary>
public sealed class RunDirectory
{
    public RunDirectory(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public string Metrics => System.IO.Path.Combine(Path, "metrics.jsonl");

    public string LastCheckpoint => System.IO.Path.Combine(Path, "last.safetensors");

    public string BestCheckpoint => System.IO.Path.Combine(Path, "best.safetensors");

    /// <summary>The data request and recipe of the run, read back by --resume.</summary>
    public string RunDescriptionFile => System.IO.Path.Combine(Path, "run.json");

    public string DataStatisticsFile => System.IO.Path.Combine(Path, "data-stats.json");

    public string BadImagesFile => System.IO.Path.Combine(Path, "bad-images.txt");

    public string Report => System.IO.Path.Combine(Path, "report.html");

    public bool HoldsRun => File.Exists(Metrics) || File.Exists(LastCheckpoint);

    /// <summary>
    /// Deletes the files a run writes, for a new run asked for with --force. Anything else in the folder was not
    /// written by a run and is left alone.
    /// </summary>
    public void RemoveRunFiles()
    {
        foreach (var file in new[] { Metrics, LastCheckpoint, BestCheckpoint, RunDescriptionFile, DataStatisticsFile, BadImagesFile, Report })
        {
            UserFiles.Run($"delete '{file}'", () => { File.Delete(file); return true; });
        }
    }

    /// <summary>Creates the folder for a new run; refuses one that already holds a run.</summary>
    public void CreateForNewRun()
    {
        EnsureNoRun();
        Directory.CreateDirectory(Path);
    }

    public void EnsureNoRun()
    {
        if (HoldsRun)
        {
            throw new AlexNetException($"Run directory '{Path}' already holds a run; continue it with --resume {Path}, replace it with --force, or choose another --out.");
        }
    }

    public void WriteDescription(RunDescription description) =>
        AtomicFile.WriteAllText(RunDescriptionFile, JsonSerializer.Serialize(description, JsonDefaults.Indented));

    public RunDescription ReadDescription() => ParseDescription(ReadDescriptionText());

    /// <summary>run.json as written (a data-parallel run's rank 0 sends it to ranks that may not see the folder).</summary>
    public string ReadDescriptionText()
    {
        if (!File.Exists(RunDescriptionFile)) throw new AlexNetException($"Cannot resume: '{RunDescriptionFile}' does not exist.");
        return UserFiles.Run($"read '{RunDescriptionFile}'", () => File.ReadAllText(RunDescriptionFile));
    }

    public RunDescription ParseDescription(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<RunDescription>(json, JsonDefaults.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new AlexNetException($"'{RunDescriptionFile}' is not a valid run description: {e.Message}", e);
        }
    }

    public void WriteDataStatistics(DataStatistics statistics) =>
        AtomicFile.WriteAllText(DataStatisticsFile, JsonSerializer.Serialize(statistics, JsonDefaults.Indented));

    /// <summary>Lists skipped images, one per line: where it came from, a tab, why it was skipped.</summary>
    public void WriteBadImages(IReadOnlyList<Data.Sources.BadSample> bad) =>
        AtomicFile.WriteAllText(BadImagesFile, string.Concat(bad.Select(b => $"{b.Source}\t{b.Reason}\n")));

    public void AppendMetrics(EpochMetrics metrics) =>
        UserFiles.Run($"append to '{Metrics}'", () =>
        {
            File.AppendAllText(Metrics, JsonSerializer.Serialize(metrics, JsonDefaults.Options) + "\n");
            return true;
        });

    /// <summary>Keeps the first <paramref name="epochs"/> lines, dropping epochs a resumed run will redo.</summary>
    public void TruncateMetrics(int epochs)
    {
        if (!File.Exists(Metrics)) return;
        var kept = File.ReadLines(Metrics).Where(l => l.Length > 0).Take(epochs).Select(l => l + "\n");
        AtomicFile.WriteAllText(Metrics, string.Concat(kept));
    }

    public IReadOnlyList<EpochMetrics> ReadMetrics() =>
        File.Exists(Metrics)
            ? File.ReadLines(Metrics).Where(l => l.Length > 0).Select(l => JsonSerializer.Deserialize<EpochMetrics>(l, JsonDefaults.Options)!).ToList()
            : [];
}
