using System.Diagnostics;
using AlexNet.Backends;
using AlexNet.Distributed;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tensors;

namespace AlexNet.Benchmarks;

/// <summary>
/// Times data-parallel training steps exactly as the trainer runs them on a group of ranks: every rank takes its slice
/// of one seeded synthetic global batch, runs forward, loss and backward while the gradient buckets are reduced, waits
/// for the reductions, and applies SGD (momentum 0.9, weight decay 5e-4). All ranks start the timed steps together;
/// the figures of every rank are summed over the group, so that every rank returns the same result.
/// </summary>
public static class DataParallelBenchmark
{
    public static DataParallelResult Run(Network network, IBackend backend, BenchmarkOptions options, ITrainingGroup group)
    {
        options.Validate();
        group.Shard.CheckDivides(options.Batch, "--batch");
        foreach (var parameter in network.Parameters) group.Broadcast(parameter.Value.Data);
        using var plan = backend.CreatePlan(network);
        using var exchange = group.ExchangeGradients(plan, network.Parameters);
        var optimizer = new SgdOptimizer(network.Parameters, 0.01, new SgdOptions());
        var global = StepBenchmark.SyntheticBatch(network, options.Batch, options.Seed);
        var (offset, count) = group.Shard.Portion(options.Batch);
        var images = new Tensor(network.InputShape.WithBatch(count), global.Images.Data[(offset * (int)network.InputShape.ElementCount)..((offset + count) * (int)network.InputShape.ElementCount)]);
        var labels = global.Labels[offset..(offset + count)];

        var step = 0L;
        for (var i = 0; i < options.Warmup; i++) Step(step++);
        group.Agree(null);
        var (compute, reduce, transfer, exposed) = (0.0, 0.0, 0.0, 0.0);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.Steps; i++)
        {
            compute += Step(step++);
            reduce += exchange.LastStep.ReduceSeconds;
            transfer += exchange.LastStep.TransferSeconds;
            exposed += exchange.LastStep.ExposedSeconds;
        }
        var seconds = clock.Elapsed.TotalSeconds;

        // Every rank's figures, each in its own slot (per-rank lists) or added up (means over the ranks).
        var size = group.Size;
        const int Means = 5;
        var figures = new double[Means + 2 * size];
        (figures[0], figures[1], figures[2], figures[3], figures[4]) = (seconds, compute, reduce, transfer, exposed);
        figures[Means + group.Rank] = count * options.Steps / seconds;
        figures[Means + size + group.Rank] = ProcessMemory.PeakResidentBytes() ?? 0;
        group.Sum(figures);
        var perStep = 1.0 / (size * options.Steps);
        var description = plan.Describe(count, training: true);
        return new DataParallelResult(network.Config.Architecture.ToName(), plan.Backend.Name, description.Isa, description.DelegatedLayers, size, Environment.ProcessorCount,
            options.Batch, options.Steps, options.Warmup,
            options.Batch * options.Steps / (figures[0] / size),
            figures[Means..(Means + size)],
            figures[0] / size / options.Steps,
            figures[1] * perStep,
            exchange.LastStep.Bytes,
            exchange.LastStep.Buckets,
            figures[2] * perStep,
            figures[3] * perStep,
            figures[4] * perStep,
            figures[(Means + size)..].Select(b => (long)b).ToArray());

        // One trainer step on this rank's slice; returns the seconds of forward, loss and backward.
        double Step(long index)
        {
            network.ZeroGradients();
            exchange.BeginStep();
            var started = Stopwatch.GetTimestamp();
            var logits = plan.Forward(images, new ForwardContext(true, options.Seed, index) { SampleOffset = offset });
            var gradient = new Tensor(logits.Shape);
            SoftmaxCrossEntropy.Loss(logits, labels, gradient, options.Batch);
            plan.Backward(gradient);
            var computed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            exchange.EndStep(new double[1], null);
            optimizer.Step();
            return computed;
        }
    }
}
