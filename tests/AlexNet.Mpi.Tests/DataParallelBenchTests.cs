using System.Text.Json;
using AlexNet.Models;

namespace AlexNet.Mpi.Tests;

/// <summary>
/// <c>alexnet bench</c> under mpirun: rank 0 alone prints one JSON object with the ranks' images/s together and each
/// rank's, the bytes all-reduced per step (every gradient once), the time inside the reductions, the part of it spent
/// moving data, the part left after backward and the share hidden; a batch that does not divide is refused by name.
/// </summary>
public sealed class DataParallelBenchTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);

    [MpiFact]
    public void TwoRanksReportTheirImagesPerSecondAndTheReductions()
    {
        var (code, output) = MpiJob.Run(2, MpiJob.Cli,
            ["bench", "--arch", "mini", "--batch", "8", "--steps", "2", "--warmup", "1", "--backend", "managed", "--json"], Limit);
        Assert.True(code == 0, output);
        var line = Assert.Single(output.Split('\n'), l => l.StartsWith('{'));
        var r = JsonDocument.Parse(line).RootElement;

        Assert.Equal(2, r.GetProperty("ranks").GetInt32());
        Assert.Equal("managed", r.GetProperty("backend").GetString());
        Assert.Contains(r.GetProperty("isa").GetString(), new[] { "avx512", "avx2", "scalar" });
        Assert.Equal(JsonValueKind.Array, r.GetProperty("delegated_layers").ValueKind);
        Assert.Equal(8, r.GetProperty("batch").GetInt32());
        Assert.Equal(4, r.GetProperty("rank_batch").GetInt32());
        var perRank = r.GetProperty("rank_images_per_sec").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(2, perRank.Count);
        Assert.All(perRank, v => Assert.True(v > 0, $"per-rank images/s {v}"));
        // The ranks compute their halves side by side: together they are as fast as the slower one, twice over.
        var together = r.GetProperty("train_images_per_sec").GetDouble();
        Assert.InRange(together, 2 * perRank.Min() * 0.5, 2 * perRank.Max() * 1.5);

        var parameters = ModelFactory.Create(new ModelConfig(Architecture.Mini, Classes: 10), seed: 1).Parameters.Sum(p => (long)p.Value.Length);
        Assert.Equal(parameters * sizeof(float), r.GetProperty("allreduce_bytes_per_step").GetInt64());
        Assert.Equal(1, r.GetProperty("buckets").GetInt32()); // mini's gradients fit one bucket of 25 MB
        Assert.Equal("ring", r.GetProperty("allreduce").GetString());

        var (inside, moving, exposed) = (r.GetProperty("allreduce_seconds_per_step").GetDouble(),
            r.GetProperty("allreduce_transfer_seconds_per_step").GetDouble(), r.GetProperty("exposed_allreduce_seconds_per_step").GetDouble());
        Assert.True(inside > 0 && moving > 0 && moving <= inside, $"{moving} s moving data of {inside} s inside the reductions");
        Assert.InRange(exposed, 0, r.GetProperty("train_seconds_per_step").GetDouble());
        Assert.InRange(r.GetProperty("hidden_share").GetDouble(), 0, 1);
    }

    [MpiFact]
    public void TheMpiLibrarysAllreduceCanBeChosen()
    {
        var (code, output) = MpiJob.Run(2, MpiJob.Cli,
            ["bench", "--arch", "mini", "--batch", "8", "--steps", "1", "--warmup", "0", "--backend", "managed", "--allreduce", "mpi"], Limit);
        Assert.True(code == 0, output);
        Assert.Contains("(MPI_Allreduce)", output);
        var (badCode, badOutput) = MpiJob.Run(1, MpiJob.Cli, ["bench", "--arch", "mini", "--allreduce", "tree"], Limit);
        Assert.True(badCode != 0, badOutput);
        Assert.Contains("--allreduce", badOutput);
    }

    [MpiFact]
    public void ABatchThatDoesNotDivideOverTheRanksIsNamed()
    {
        var (code, output) = MpiJob.Run(2, MpiJob.Cli, ["bench", "--arch", "mini", "--batch", "7", "--steps", "1", "--warmup", "0", "--backend", "managed"], Limit);
        Assert.True(code != 0, output);
        Assert.Contains("--batch 7 does not divide over 2 ranks", output);
    }
}
