using System.Globalization;
using System.Text;
using System.Text.Json;
using AlexNet.Backends;
using AlexNet.Benchmarks;
using AlexNet.Checkpoints;
using AlexNet.Models;
using AlexNet.Mpi;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>mpirun -np N ./alexnet bench</c>: data-parallel training steps on N ranks (synthetic input, --batch the global
/// batch): images per second of the ranks together and of each, and per step the bytes of gradients all-reduced, the
/// time inside the reductions and the share of it hidden behind backward. Rank 0 prints.
/// </summary>
internal static class DataParallelBench
{
    public static int Run(Architecture architecture, BackendChoice backendChoice, BenchmarkOptions options, MpiGroupOptions mpiOptions, bool json,
        TextWriter output, TextWriter error)
    {
        var process = DataParallelProcess.Join(mpiOptions, output, error);
        return process.Run(() =>
        {
            var backend = Backends(backendChoice, process.Output, json);
            var network = ModelFactory.Create(BenchCommand.BenchConfig(architecture), options.Seed);
            var result = DataParallelBenchmark.Run(network, backend, options, process.Group);
            process.EndCollectives();
            if (json) process.Output.WriteLine(ToJson(result, mpiOptions));
            else WriteText(process.Output, result, mpiOptions);
            return 0;
        });
    }

    private static IBackend Backends(BackendChoice choice, TextWriter output, bool json) =>
        OneDnn.BackendResolver.Resolve(choice, json ? TextWriter.Null : output);

    private static string ToJson(DataParallelResult r, MpiGroupOptions mpi) => JsonSerializer.Serialize(new
    {
        arch = r.Architecture,
        backend = r.Backend,
        isa = r.Isa,
        delegated_layers = r.DelegatedLayers,
        ranks = r.Ranks,
        threads = r.ThreadsPerRank,
        batch = r.Batch,
        rank_batch = r.RankBatch,
        steps = r.Steps,
        warmup = r.Warmup,
        train_images_per_sec = r.TrainImagesPerSecond,
        rank_images_per_sec = r.RankImagesPerSecond,
        train_seconds_per_step = r.SecondsPerStep,
        compute_seconds_per_step = r.ComputeSecondsPerStep,
        allreduce_bytes_per_step = r.AllReduceBytesPerStep,
        buckets = r.Buckets,
        bucket_mb = mpi.BucketMegabytes,
        allreduce = mpi.AllReduce == AllReduceAlgorithm.Ring ? "ring" : "mpi",
        allreduce_seconds_per_step = r.AllReduceSecondsPerStep,
        allreduce_transfer_seconds_per_step = r.AllReduceTransferSecondsPerStep,
        exposed_allreduce_seconds_per_step = r.ExposedAllReduceSecondsPerStep,
        hidden_share = r.HiddenShare,
        peak_memory_bytes = r.PeakMemoryBytes,
    }, JsonDefaults.Options);

    private static void WriteText(TextWriter output, DataParallelResult r, MpiGroupOptions mpi)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"{r.Architecture} on {r.Backend} ({r.Isa}): {r.Ranks} ranks × {r.ThreadsPerRank} threads, global batch {r.Batch} ({r.RankBatch} per rank), " +
            $"{r.Steps} timed steps after {r.Warmup} warm-up, synthetic input");
        text.AppendLine(culture, $"  training   {r.TrainImagesPerSecond,9:F1} images/s, ranks together ({r.SecondsPerStep * 1000:F0} ms per step, of which {r.ComputeSecondsPerStep * 1000:F0} ms forward and backward)");
        text.AppendLine(culture, $"  per rank   {string.Join(", ", r.RankImagesPerSecond.Select(v => v.ToString("F1", culture)))} images/s");
        text.AppendLine(culture, $"  all-reduce {r.AllReduceBytesPerStep / 1e6:F1} MB per step in {r.Buckets} buckets of about {mpi.BucketMegabytes:G} MB " +
            $"({(mpi.AllReduce == AllReduceAlgorithm.Ring ? "ring" : "MPI_Allreduce")}): " +
            $"{r.AllReduceSecondsPerStep * 1000:F0} ms per step inside MPI ({r.AllReduceTransferSecondsPerStep * 1000:F0} ms moving data once all ranks were there), " +
            $"{r.ExposedAllReduceSecondsPerStep * 1000:F0} ms of it after backward ({r.HiddenShare:P0} hidden)");
        text.AppendLine(culture, $"  peak memory per rank {string.Join(", ", r.PeakMemoryBytes.Select(b => (b / (1024.0 * 1024.0)).ToString("F0", culture)))} MiB");
        output.Write(text.ToString());
    }
}
