using System.Diagnostics;

namespace AlexNet.Backends;

/// <summary>One row of a step profile: a layer (or a backend's fused group of layers) and one pass over it.</summary>
public sealed record LayerTiming(string Layer, string Pass, TimeSpan Elapsed);

/// <summary>
/// Collects per-layer wall time from a plan whose <see cref="IExecutionPlan.Profile"/> is set, so that
/// <c>alexnet bench --profile</c> can show where a training step goes. Pass is <c>forward</c> or <c>backward</c>.
/// </summary>
public sealed class LayerProfile
{
    public const string ForwardPass = "forward";
    public const string BackwardPass = "backward";

    private readonly List<LayerTiming> _rows = [];

    public IReadOnlyList<LayerTiming> Rows => _rows;

    public void Add(string layer, string pass, TimeSpan elapsed) => _rows.Add(new LayerTiming(layer, pass, elapsed));

    public static long Start() => Stopwatch.GetTimestamp();

    public void Stop(string layer, string pass, long started) => Add(layer, pass, Stopwatch.GetElapsedTime(started));

    public void Clear() => _rows.Clear();
}
