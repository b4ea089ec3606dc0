using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using AlexNet.Backends;
using AlexNet.OneDnn;
using AlexNet.Benchmarks;
using AlexNet.Checkpoints;
using AlexNet.Imaging;
using AlexNet.Models;
using AlexNet.Mpi;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet bench</c>: inference and training images per second of an architecture on a backend, after a
/// warm-up, on synthetic input or (with --data) on batches from the image loader; --profile adds the per-layer
/// forward and backward times of a training step. Under mpirun the ranks time data-parallel training steps together
/// (<see cref="DataParallelBench"/>).
/// </summary>
public static class BenchCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var arch = CommonOptions.Architecture("paper");
        var batch = new Option<int>("--batch") { Description = "Images per step", DefaultValueFactory = _ => 64 };
        var steps = new Option<int>("--steps") { Description = "Timed steps, for inference and for training each", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps before each timing", DefaultValueFactory = _ => 1 };
        var backend = CommonOptions.Backend();
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var profile = new Option<bool>("--profile") { Description = "Also print per-layer forward and backward times of a training step" };
        var data = new Option<string?>("--data") { Description = "Image folder (any layout train reads) whose loader feeds the training steps instead of synthetic input" };
        var workers = new Option<int>("--workers") { Description = "Loader threads with --data (default: all cores)" };
        var seed = new Option<ulong>("--seed") { Description = "Seed for the weights, the synthetic input and dropout", DefaultValueFactory = _ => 1UL };
        var bucketMb = new Option<double>("--bucket-mb")
        {
            Description = "Under mpirun: megabytes of gradients reduced together (--batch is then the global batch)",
            DefaultValueFactory = _ => 25,
        };
        var allReduce = CommonOptions.AllReduce();
        var command = new Command("bench", "Time inference and training steps of a model on a backend")
        {
            arch, batch, steps, warmup, backend, json, profile, data, workers, seed, bucketMb, allReduce,
        };
        command.SetAction((result, cancellation) =>
        {
            var options = new BenchmarkOptions(result.GetValue(batch), result.GetValue(steps), result.GetValue(warmup), result.GetValue(seed),
                result.GetValue(profile)).Validate();
            var architecture = ArchitectureNames.Parse(result.GetValue(arch)!);
            if (MpiLaunch.Detected)
            {
                if (result.GetValue(data) is not null || options.Profile)
                {
                    throw new AlexNetException("Under mpirun, bench times data-parallel steps on synthetic input; --data and --profile work without mpirun.");
                }
                return Task.FromResult(DataParallelBench.Run(architecture, CommonOptions.ParseBackend(result.GetValue(backend)!), options,
                    new MpiGroupOptions(result.GetValue(bucketMb), AllReduce: MpiGroupOptions.ParseAllReduce(result.GetValue(allReduce)!)).Validate(), result.GetValue(json), output, error));
            }
            // With --json the backend's name is a field, so that stdout stays one JSON object.
            var notices = result.GetValue(json) ? TextWriter.Null : output;
            var chosen = BackendResolver.Resolve(CommonOptions.ParseBackend(result.GetValue(backend)!), notices);
            var folder = result.GetValue(data);
            var (config, provider) = folder is null
                ? (BenchConfig(architecture), null)
                : OpenData(folder, architecture, options, result.GetValue(workers));
            var network = ModelFactory.Create(config, options.Seed);
            var measured = StepBenchmark.Run(network, chosen, options, provider);
            if (result.GetValue(json)) output.WriteLine(ToJson(measured));
            else WriteText(output, measured);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The paper's and torchvision's ImageNet networks; mini as trained on Fashion-MNIST (1×28×28, 10 classes).</summary>
    internal static ModelConfig BenchConfig(Architecture architecture) =>
        architecture.TakesSmallImages() ? new ModelConfig(architecture, Classes: 10) : new ModelConfig(architecture);

    private static (ModelConfig, IBatchProvider) OpenData(string folder, Architecture architecture, BenchmarkOptions options, int workers)
    {
        var request = new DataRequest(folder, Workers: workers);
        var dataSet = TrainingData.Open(request, new NativeImageDecoder());
        var channels = architecture.TakesSmallImages() ? TrainingData.NativeChannels(dataSet) : 3;
        var size = architecture == Architecture.Mini ? TrainingData.NativeSize(dataSet) ?? 32 : new ModelConfig(architecture).Resolve().InputSize;
        var prepared = TrainingData.Prepare(dataSet, request, new ImageDataOptions(size, channels, options.Batch, options.Seed, ValidationFraction: 0));
        return (new ModelConfig(architecture, dataSet.ClassNames.Count, channels, size), prepared.Train);
    }

    private static string ToJson(BenchmarkResult r) => JsonSerializer.Serialize(new
    {
        arch = r.Architecture,
        backend = r.Backend,
        training_backend = r.TrainingBackend,
        inference_backend = r.InferenceBackend,
        batch = r.Batch,
        threads = r.Threads,
        steps = r.Steps,
        warmup = r.Warmup,
        train_images_per_sec = r.TrainImagesPerSecond,
        infer_images_per_sec = r.InferImagesPerSecond,
        train_seconds_per_step = r.TrainSecondsPerStep,
        training_skipped = r.TrainingSkipped,
        infer_seconds_per_batch = r.InferSecondsPerBatch,
        peak_memory_bytes = r.PeakMemoryBytes,
        data = r.Data,
        isa = r.Isa,
        delegated_layers = r.DelegatedLayers,
        profile = r.Profile is not { } p ? null : new
        {
            step_ms = p.StepMilliseconds,
            optimizer_ms = p.OptimizerMilliseconds,
            layers = p.Layers.Select(l => new { layer = l.Layer, forward_ms = l.ForwardMilliseconds, backward_ms = l.BackwardMilliseconds, share = l.Share }),
        },
    }, JsonDefaults.Options);

    private static void WriteText(TextWriter output, BenchmarkResult r)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"{r.Architecture} on {r.Backend} ({r.Isa}): batch {r.Batch}, {r.Threads} threads, {r.Steps} timed steps after {r.Warmup} warm-up, {(r.Data is null ? "synthetic input" : $"training batches from {r.Data}")}");
        // The default backend picks one per batch size and mode: name it where it is not the one in the title.
        string On(string ran) => ran == r.Backend ? "" : $", on {ran}";
        text.AppendLine(r.TrainingSkipped is { } skipped
            ? $"  training   not timed: {skipped}"
            : string.Create(culture, $"  training   {r.TrainImagesPerSecond,9:F1} images/s  ({r.TrainSecondsPerStep * 1000:F0} ms per step{On(r.TrainingBackend)})"));
        text.AppendLine(culture, $"  inference  {r.InferImagesPerSecond,9:F1} images/s  ({r.InferSecondsPerBatch * 1000:F0} ms per batch{On(r.InferenceBackend)})");
        if (r.DelegatedLayers.Count > 0) text.AppendLine(culture, $"  on the managed kernels: {string.Join(", ", r.DelegatedLayers)}");
        text.AppendLine(r.PeakMemoryBytes is { } peak ? string.Create(culture, $"  peak memory {peak / (1024.0 * 1024.0):F0} MiB") : "  peak memory: unknown (no /proc/self/status)");
        if (r.Profile is { } profile) AppendProfile(text, profile);
        output.Write(text.ToString());
    }

    private static void AppendProfile(StringBuilder text, StepProfile profile)
    {
        var culture = CultureInfo.InvariantCulture;
        // A backend's fused groups have long names ("conv1+relu1"); the first column fits the longest.
        var name = Math.Max(14, profile.Layers.Max(l => l.Layer.Length) + 2);
        void Row(string layer, string forward, string backward, double total, double share) =>
            text.AppendLine(culture, $"  {layer.PadRight(name)}{forward,12}{backward,13}{total,10:F2}{share * 100,7:F1}%");
        text.AppendLine();
        text.AppendLine("  training step profile (mean per step)");
        text.AppendLine(culture, $"  {"layer".PadRight(name)}{"forward ms",12}{"backward ms",13}{"total ms",10}{"share",8}");
        foreach (var l in profile.Layers)
        {
            Row(l.Layer, l.ForwardMilliseconds.ToString("F2", culture), l.BackwardMilliseconds.ToString("F2", culture), l.TotalMilliseconds, l.Share);
        }
        var step = profile.StepMilliseconds;
        Row("sgd update", "", "", profile.OptimizerMilliseconds, profile.OptimizerMilliseconds / step);
        var rest = profile.OtherMilliseconds - profile.OptimizerMilliseconds;
        Row("loss, other", "", "", rest, rest / step);
        Row("step", "", "", step, 1);
    }
}
