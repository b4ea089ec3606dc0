using System.Diagnostics;
using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Auto;

/// <summary>
/// Times one step (a forward pass, and in training a backward pass) of a network on two plans, alternating which goes
/// first, and keeps the fastest of several rounds of each: shared machines are noisy, and the minimum is what a plan
/// can do. The network is left as it was found: the gradients and running statistics the trial's passes change are
/// restored, and no profile or gradient callback sees its passes.
/// </summary>
internal static class BackendTrial
{
    private const int MinRounds = 3;
    private const int MaxRounds = 8;
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(400);

    public static (TimeSpan OneDnn, TimeSpan Managed) Run(Network network, IExecutionPlan oneDnn, IExecutionPlan managed, int batch, bool training)
    {
        var saved = training ? NetworkState.Save(network) : null;
        var detached = new[] { Detach(oneDnn), Detach(managed) };
        try
        {
            var input = SyntheticInput(network, batch);
            var context = new ForwardContext(training);
            // The first step compiles oneDNN's primitives and allocates the managed plan's buffers: untimed.
            var logits = oneDnn.Forward(input, context);
            var logitsGradient = training ? new Tensor(logits.Shape, Filled((int)logits.Shape.ElementCount, 1e-3f)) : null;
            Step(oneDnn, input, context, logitsGradient);
            Step(managed, input, context, logitsGradient);
            var (bestOneDnn, bestManaged) = (TimeSpan.MaxValue, TimeSpan.MaxValue);
            var clock = Stopwatch.StartNew();
            for (var round = 0; round < MaxRounds && (round < MinRounds || clock.Elapsed < Budget); round++)
            {
                var oneDnnFirst = round % 2 == 0;
                var first = Time(oneDnnFirst ? oneDnn : managed, input, context, logitsGradient);
                var second = Time(oneDnnFirst ? managed : oneDnn, input, context, logitsGradient);
                var (o, m) = oneDnnFirst ? (first, second) : (second, first);
                bestOneDnn = o < bestOneDnn ? o : bestOneDnn;
                bestManaged = m < bestManaged ? m : bestManaged;
            }
            return (bestOneDnn, bestManaged);
        }
        finally
        {
            Reattach(oneDnn, detached[0]);
            Reattach(managed, detached[1]);
            saved?.Restore();
        }
    }

    private static TimeSpan Time(IExecutionPlan plan, Tensor input, ForwardContext context, Tensor? logitsGradient)
    {
        var started = Stopwatch.GetTimestamp();
        Step(plan, input, context, logitsGradient);
        return Stopwatch.GetElapsedTime(started);
    }

    private static void Step(IExecutionPlan plan, Tensor input, ForwardContext context, Tensor? logitsGradient)
    {
        plan.Forward(input, context);
        if (logitsGradient is not null) plan.Backward(logitsGradient);
    }

    /// <summary>Values in [-1, 1] from a fixed sequence: zeros could take shortcuts (ReLU masks, denormals) real data does not.</summary>
    private static Tensor SyntheticInput(Network network, int batch)
    {
        var shape = network.InputShape.WithBatch(batch);
        var data = new float[checked((int)shape.ElementCount)];
        for (var i = 0; i < data.Length; i++) data[i] = (float)Math.Sin(i * 0.7071);
        return new Tensor(shape, data);
    }

    private static float[] Filled(int length, float value)
    {
        var data = new float[length];
        Array.Fill(data, value);
        return data;
    }

    private static (LayerProfile?, Action<IReadOnlyList<Parameter>>?) Detach(IExecutionPlan plan)
    {
        var attached = (plan.Profile, plan.GradientsReady);
        (plan.Profile, plan.GradientsReady) = (null, null);
        return attached;
    }

    private static void Reattach(IExecutionPlan plan, (LayerProfile? Profile, Action<IReadOnlyList<Parameter>>? GradientsReady) attached) =>
        (plan.Profile, plan.GradientsReady) = attached;
}
