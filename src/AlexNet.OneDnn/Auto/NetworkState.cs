using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Auto;

/// <summary>
/// A copy of what training passes change in a network besides what an optimizer does: every parameter's gradient
/// (and whether it is known to be zero) and every running statistic. <see cref="Restore"/> puts them back.
/// </summary>
internal sealed class NetworkState
{
    private readonly List<(Parameter Parameter, float[]? Gradient)> _gradients = [];
    private readonly List<(RunningStatistic Statistic, float[] Value)> _statistics = [];

    private NetworkState() { }

    public static NetworkState Save(Network network)
    {
        var state = new NetworkState();
        foreach (var p in network.Parameters) state._gradients.Add((p, p.GradientIsZero ? null : (float[])p.Gradient.Data.Clone()));
        foreach (var s in network.Statistics) state._statistics.Add((s, (float[])s.Value.Data.Clone()));
        return state;
    }

    public void Restore()
    {
        foreach (var (parameter, gradient) in _gradients)
        {
            if (gradient is null)
            {
                parameter.ZeroGradient();
                continue;
            }
            gradient.CopyTo(parameter.Gradient.Data, 0);
            parameter.NoteGradientWritten();
        }
        foreach (var (statistic, value) in _statistics) value.CopyTo(statistic.Value.Data, 0);
    }
}
