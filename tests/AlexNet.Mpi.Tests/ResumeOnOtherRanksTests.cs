using System.Globalization;
using System.Text.Json;

namespace AlexNet.Mpi.Tests;

/// <summary>
/// <c>--resume</c> continues a data-parallel run on another number of ranks, and the result is the single process's:
/// a run started on 2 ranks and resumed on 3 ends with the weights and metrics of one process training alone. Rank 0
/// alone writes the run directory and prints, and its progress lines give the ranks and their images/s together.
/// </summary>
public sealed class ResumeOnOtherRanksTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-mpi-resume-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // A small learning rate keeps these 42 steps on tiny, repetitive data out of the chaotic regime (loss spikes) where
    // float32 rounding differences of 1e-7, such as one process and several ranks summing a batch's gradients in
    // different orders, grow to percent-sized differences within a few steps.
    private static string[] Train(string data, string run, int epochs) =>
        ["train", "--data", data, "--out", run, "--epochs", epochs.ToString(CultureInfo.InvariantCulture), "--batch-size", "6", "--lr", "0.001", "--backend", "managed"];

    [MpiFact]
    public void ARunStartedOnTwoRanksAndResumedOnThreeEndsAsTheSingleProcessRun()
    {
        // 126 training images: 21 steps an epoch, so that a progress line (every 20 steps) appears.
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 42, validationPerClass: 3);
        var (alone, split) = (Path.Combine(_folder, "alone"), Path.Combine(_folder, "split"));
        var single = DotnetProgram.Run(MpiJob.Cli, Train(data, alone, 2));
        Assert.True(single.Code == 0, single.Output);

        var first = MpiJob.Run(2, MpiJob.Cli, Train(data, split, 1), Limit);
        Assert.True(first.Code == 0, first.Output);
        var second = MpiJob.Run(3, MpiJob.Cli, ["train", "--resume", split, "--epochs", "2", "--backend", "managed"], Limit);
        Assert.True(second.Code == 0, second.Output);

        var (worst, where) = Weights.LargestRelativeDifference(Path.Combine(alone, "last.safetensors"), Path.Combine(split, "last.safetensors"));
        Assert.True(worst < 1e-4, $"{where} differs by {worst:E2} (relative)");
        var (expected, actual) = (Metrics(alone), Metrics(split));
        Assert.Equal(2, actual.Count);
        foreach (var (e, a) in expected.Zip(actual))
        {
            foreach (var key in new[] { "train_loss", "train_top1", "val_loss", "val_top1" })
            {
                Assert.True(Math.Abs(e[key] - a[key]) <= 1e-4 * Math.Max(1, Math.Abs(e[key])), $"{key}: {e[key]} alone, {a[key]} on 2 then 3 ranks");
            }
        }

        // Rank 0 wrote the same files as the single process, and nothing else.
        Assert.Equal(Directory.GetFiles(alone).Select(Path.GetFileName).Order(), Directory.GetFiles(split).Select(Path.GetFileName).Order());
        // Rank 0 printed each line once; its progress says how many ranks train together.
        var progress = first.Output.Split('\n').Where(l => l.StartsWith("epoch 1/1  batch", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(progress);
        Assert.All(progress, l => Assert.Matches(@"\d+ img/s on 2 ranks$", l.TrimEnd()));
        Assert.Single(first.Output.Split('\n'), l => l.StartsWith("epoch 1  lr", StringComparison.Ordinal));
        Assert.Single(second.Output.Split('\n'), l => l.StartsWith("Resuming", StringComparison.Ordinal));
        Assert.Contains("Data-parallel on 3 ranks: each trains on 2 images of every batch of 6.", second.Output);
    }

    private static List<Dictionary<string, double>> Metrics(string run) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(l)!
                .Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Key, p => p.Value.GetDouble()))
            .ToList();
}
