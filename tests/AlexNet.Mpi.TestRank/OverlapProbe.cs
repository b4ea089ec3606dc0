using System.Diagnostics;
using AlexNet.Backends;
using AlexNet.Distributed;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Mpi.TestRank;

/// <summary>
/// Finds out whether gradients are reduced while backward still runs: one training step of the reduced-width paper
/// network on every rank, with buckets of one parameter each, in which the plan's first report of finished gradients
/// (the last layer's) is held until the largest of them holds its sum over the ranks. If reductions waited for the end
/// of backward, that never happens and the probe says so after <see cref="Patience"/>.
/// </summary>
internal static class OverlapProbe
{
    /// <summary>Far longer than summing a few hundred floats takes, even on a loaded machine.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private const int GlobalBatch = 6;

    public static string Run(IBackend backend, ITrainingGroup group)
    {
        var config = new ModelConfig(Architecture.Paper, Classes: 3, InputChannels: 3, InputSize: 99, Widths: new LayerWidths(16, 32, 48, 48, 32, 64));
        var network = ModelFactory.Create(config, seed: 5);
        using var plan = backend.CreatePlan(network);
        using var exchange = group.ExchangeGradients(plan, network.Parameters);
        var handOver = plan.GradientsReady ?? throw new InvalidOperationException("The gradient exchange did not ask the plan for finished gradients.");
        string? verdict = null;
        var reportsAfterwards = 0;
        plan.GradientsReady = parameters =>
        {
            if (verdict is not null)
            {
                reportsAfterwards++;
                handOver(parameters);
                return;
            }
            var watched = parameters.MaxBy(p => p.Gradient.Length)!;
            var local = watched.Gradient.Data.ToArray();
            handOver(parameters);
            var clock = Stopwatch.StartNew();
            while (watched.Gradient.Data.AsSpan().SequenceEqual(local) && clock.Elapsed < Patience) Thread.Sleep(1);
            verdict = watched.Gradient.Data.AsSpan().SequenceEqual(local)
                ? $"{watched.Name} was not reduced while backward ran ({Patience.TotalSeconds:F0} s waited)"
                : $"{watched.Name} was reduced during backward";
        };

        // Every rank takes its portion of one seeded global batch, as the trainer does.
        var global = Benchmarks.StepBenchmark.SyntheticBatch(network, GlobalBatch, seed: 9);
        var (offset, count) = group.Shard.Portion(GlobalBatch);
        var plane = (int)network.InputShape.ElementCount;
        var images = new Tensor(network.InputShape.WithBatch(count), global.Images.Data[(offset * plane)..((offset + count) * plane)]);
        network.ZeroGradients();
        exchange.BeginStep();
        var logits = plan.Forward(images, new ForwardContext(true, 9, 0) { SampleOffset = offset });
        var gradient = new Tensor(logits.Shape);
        SoftmaxCrossEntropy.Loss(logits, global.Labels[offset..(offset + count)], gradient, GlobalBatch);
        plan.Backward(gradient);
        exchange.EndStep(new double[1], null);
        return $"{verdict ?? "backward reported no gradients"}; backward then reported {reportsAfterwards} more layers";
    }
}
