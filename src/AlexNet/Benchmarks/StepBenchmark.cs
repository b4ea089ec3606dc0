using System.Diagnostics;
using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Randomness;
using AlexNet.Tensors;
using AlexNet.Training;

namespace AlexNet.Benchmarks;

/// <summary>
/// Times a network on a backend: inference batches (eval mode) and then training steps exactly as the trainer
/// runs them (zero gradients, training forward, softmax cross-entropy, backward, SGD with the paper's momentum
/// 0.9 and weight decay 5e-4), each after untimed warm-up steps. The input is synthetic (seeded N(0, 1) pixels
/// and uniform labels) unless a batch provider is given, in which case the training steps take its batches so
/// that the figure includes whatever the loader fails to hide.
/// </summary>
public static class StepBenchmark
{
    public static BenchmarkResult Run(Network network, IBackend backend, BenchmarkOptions options, IBatchProvider? data = null)
    {
        options.Validate();
        if (data is not null && !data.SampleShape.Equals(network.InputShape))
        {
            throw new AlexNetException(
                $"Data set '{data.Name}' gives {data.SampleShape} inputs; the {network.Config.Architecture.ToName()} model expects {network.InputShape}.");
        }
        using var plan = backend.CreatePlan(network);
        var synthetic = SyntheticBatch(network, options.Batch, options.Seed);

        for (var i = 0; i < options.Warmup; i++) plan.Forward(synthetic.Images, ForwardContext.Inference);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Steps; i++) plan.Forward(synthetic.Images, ForwardContext.Inference);
        var inferSeconds = clock.Elapsed.TotalSeconds;

        var untrainable = Untrainable(network, options.Batch, data);
        var optimizer = new SgdOptimizer(network.Parameters, 0.01, new SgdOptions());
        using var batches = Batches(data, synthetic, options.Seed).GetEnumerator();
        var step = 0L;
        Batch Next() => batches.MoveNext() ? batches.Current : throw new InvalidOperationException("Batches ran out, though the sequence repeats epochs without end.");
        for (var i = 0; i < options.Warmup && untrainable is null; i++) TrainStep(plan, network, optimizer, Next(), options.Seed, step++);

        var profile = options.Profile && untrainable is null ? new LayerProfile() : null;
        plan.Profile = profile;
        var optimizerTicks = 0L;
        var images = 0L;
        clock.Restart();
        for (var i = 0; i < options.Steps && untrainable is null; i++)
        {
            var batch = Next();
            optimizerTicks += TrainStep(plan, network, optimizer, batch, options.Seed, step++);
            images += batch.Labels.Length;
        }
        double? trainSeconds = untrainable is null ? clock.Elapsed.TotalSeconds : null;
        plan.Profile = null;

        var stepMilliseconds = trainSeconds * 1000 / options.Steps ?? 0;
        var peakMemory = ProcessMemory.PeakResidentBytes();
        var (training, inference) = (plan.Describe(options.Batch, training: true), plan.Describe(options.Batch, training: false));
        return new BenchmarkResult(
            network.Config.Architecture.ToName(),
            plan.Backend.Name,
            options.Batch,
            Environment.ProcessorCount,
            options.Steps,
            options.Warmup,
            images / trainSeconds,
            (double)options.Batch * options.Steps / inferSeconds,
            trainSeconds / options.Steps,
            inferSeconds / options.Steps,
            peakMemory,
            data?.Name,
            training.Isa,
            inference.DelegatedLayers.Union(training.DelegatedLayers).ToList(),
            profile is null
                ? null
                : StepProfile.FromRows(profile.Rows, options.Steps, stepMilliseconds,
                    TimeSpan.FromTicks(optimizerTicks * TimeSpan.TicksPerSecond / Stopwatch.Frequency).TotalMilliseconds / options.Steps),
            training.Backend,
            inference.Backend,
            untrainable);
    }

    /// <summary>
    /// Why this network cannot take training steps at this batch size, or null: batch normalization after a dense layer
    /// has one value per channel of each image, and a batch (or a data set's short last batch) of one has no variance.
    /// </summary>
    private static string? Untrainable(Network network, int batchSize, IBatchProvider? data)
    {
        // Synthetic batches are all full.
        if (network.BatchNormUntrainableOn(batchSize, data?.Count ?? batchSize) is not { } layer) return null;
        return batchSize == 1
            ? $"batch normalization '{layer.Name}' cannot train on a batch of one image"
            : $"batch normalization '{layer.Name}' cannot train on the batch of one image that {data!.Count:N0} images in batches of {batchSize} leave";
    }

    /// <summary>One trainer step; returns the stopwatch ticks the optimizer update took.</summary>
    private static long TrainStep(IExecutionPlan plan, Network network, Optimizer optimizer, Batch batch, ulong seed, long step)
    {
        network.ZeroGradients();
        var logits = plan.Forward(batch.Images, new ForwardContext(true, seed, step));
        var gradient = new Tensor(logits.Shape);
        SoftmaxCrossEntropy.Loss(logits, batch.Labels, gradient);
        plan.Backward(gradient);
        var started = Stopwatch.GetTimestamp();
        optimizer.Step();
        return Stopwatch.GetTimestamp() - started;
    }

    /// <summary>The provider's batches of full size, epoch after epoch, or the synthetic batch forever.</summary>
    private static IEnumerable<Batch> Batches(IBatchProvider? data, Batch synthetic, ulong seed)
    {
        if (data is null)
        {
            while (true) yield return synthetic;
        }
        for (var epoch = 0; ; epoch++)
        {
            var full = false;
            foreach (var batch in data.Epoch(epoch))
            {
                // A short last batch would make the comparison with synthetic input unfair.
                if (batch.Labels.Length != synthetic.Labels.Length) continue;
                full = true;
                yield return batch;
            }
            if (!full)
            {
                throw new AlexNetException($"Data set '{data.Name}' has {data.Count} training images, fewer than one batch of {synthetic.Labels.Length} (--batch).");
            }
        }
    }

    /// <summary>Seeded N(0, 1) pixels, about what a normalized image holds, and uniform labels.</summary>
    public static Batch SyntheticBatch(Network network, int batch, ulong seed)
    {
        var images = new Tensor(network.InputShape.WithBatch(batch));
        var random = new RandomStream(seed, 0, 0, 0);
        for (var i = 0; i < images.Length; i++) images.Data[i] = (float)random.NextNormal();
        var labels = new int[batch];
        for (var n = 0; n < batch; n++) labels[n] = random.NextInt(network.Config.Classes);
        return new Batch(images, labels, Enumerable.Range(0, batch).ToArray());
    }
}
