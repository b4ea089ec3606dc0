using AlexNet.Backends;
using AlexNet.Models;

namespace AlexNet.OneDnn.Auto;

/// <summary>
/// The default backend: oneDNN, except for batch sizes where the managed kernels run the network faster. oneDNN's
/// JIT kernels win wherever layers carry real work, but each primitive costs a fixed overhead that a small network on
/// a few images does not amortize (mini at batch 1 trains faster on the managed kernels). A plan therefore times a
/// step on both backends the first time the process meets a small (batch size, mode) and keeps the faster; see
/// <see cref="AutoPlan"/>. Choices depend on the machine, so runs that must repeat bit for bit across processes name a
/// backend.
/// </summary>
public sealed class AutoBackend : IBackend
{
    private readonly HashSet<string> _noticesGiven = [];

    private readonly BackendChoices _choices;

    internal AutoBackend(OneDnnBackend oneDnn, TextWriter notices) : this(oneDnn, notices, BackendChoices.Shared) { }

    /// <param name="choices">Where decisions are kept; every backend of the process shares one, tests take their own.</param>
    internal AutoBackend(OneDnnBackend oneDnn, TextWriter notices, BackendChoices choices) => (OneDnn, Notices, _choices) = (oneDnn, notices, choices);

    public OneDnnBackend OneDnn { get; }

    public IBackend Managed => ManagedBackend.Instance;

    public string Name => "auto";

    /// <summary>Where each plan says which backend it chose for a batch size, and what the trial measured.</summary>
    public TextWriter Notices { get; }

    public IExecutionPlan CreatePlan(Network network) => new AutoPlan(this, network, _choices);

    /// <summary>One, as for oneDNN: most of what an auto plan runs is oneDNN's OpenMP teams over every core.</summary>
    public int ConcurrentPlans => 1;

    internal void Notice(string text)
    {
        lock (_noticesGiven)
        {
            if (_noticesGiven.Add(text)) Notices.WriteLine(text);
        }
    }
}
