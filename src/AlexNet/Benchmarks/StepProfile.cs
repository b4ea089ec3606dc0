using AlexNet.Backends;

namespace AlexNet.Benchmarks;

/// <summary>One layer's (or fused group's) mean time per training step, and its share of the whole step.</summary>
public sealed record LayerStepTime(string Layer, double ForwardMilliseconds, double BackwardMilliseconds, double Share)
{
    public double TotalMilliseconds => ForwardMilliseconds + BackwardMilliseconds;
}

/// <summary>
/// Per-layer times averaged over the profiled training steps, in forward order. Step milliseconds is the whole
/// step (loss and optimizer update included), so the shares of the layers sum to less than one; the rest is
/// <see cref="OtherMilliseconds"/>.
/// </summary>
public sealed record StepProfile(IReadOnlyList<LayerStepTime> Layers, double StepMilliseconds, double OptimizerMilliseconds)
{
    public double OtherMilliseconds => StepMilliseconds - Layers.Sum(l => l.TotalMilliseconds);

    /// <summary>Averages the rows a plan recorded over <paramref name="steps"/> steps, keeping the layers' first-seen order.</summary>
    public static StepProfile FromRows(IReadOnlyList<LayerTiming> rows, int steps, double stepMilliseconds, double optimizerMilliseconds)
    {
        var order = new List<string>();
        var forward = new Dictionary<string, double>();
        var backward = new Dictionary<string, double>();
        foreach (var row in rows)
        {
            if (!forward.ContainsKey(row.Layer))
            {
                order.Add(row.Layer);
                forward[row.Layer] = 0;
                backward[row.Layer] = 0;
            }
            var target = row.Pass == LayerProfile.BackwardPass ? backward : forward;
            target[row.Layer] += row.Elapsed.TotalMilliseconds;
        }
        var layers = order.Select(name =>
        {
            var (f, b) = (forward[name] / steps, backward[name] / steps);
            return new LayerStepTime(name, f, b, stepMilliseconds > 0 ? (f + b) / stepMilliseconds : 0);
        }).ToList();
        return new StepProfile(layers, stepMilliseconds, optimizerMilliseconds);
    }
}
