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

    public string RunDescription => System.IO.Path.Combine(Path, "run.json");

    public bool HoldsRun => File.Exists(Metrics) || File.Exists(LastCheckpoint);

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
            throw new AlexNetException($"Run directory '{Path}' already holds a run; continue it with --resume {Path} or choose another --out.");
        }
    }

    public void AppendMetrics(EpochMetrics metrics) =>
        File.AppendAllText(Metrics, JsonSerializer.Serialize(metrics, JsonDefaults.Options) + "\n");

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
