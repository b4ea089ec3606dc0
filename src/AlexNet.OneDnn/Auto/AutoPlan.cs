using System.Globalization;
using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Auto;

/// <summary>
/// A network on whichever of oneDNN and the managed kernels runs a given (batch size, mode) faster. Steps of more
/// than <see cref="TrialLimit"/> multiply-adds go to oneDNN untimed: on every shipped architecture and batch size
/// measured, oneDNN was the faster there, and a trial would cost seconds. Smaller steps are timed once on both
/// backends (<see cref="BackendTrial"/>, well under a second); oneDNN is kept unless the managed step takes less than
/// <see cref="ManagedShare"/> of its time. That margin keeps the choice within 10% of the faster backend while leaving
/// close cases, where timing noise could decide either way, on one backend from run to run. The decision holds for
/// the whole process (<see cref="BackendChoices"/>).
/// </summary>
internal sealed class AutoPlan : IExecutionPlan
{
    /// <summary>Multiply-adds per step (training counts three passes) above which oneDNN is taken without a trial.</summary>
    internal const double TrialLimit = 2e9;

    /// <summary>The managed backend is chosen when its step takes less than this share of oneDNN's.</summary>
    internal const double ManagedShare = 0.92;

    private readonly AutoBackend _backend;
    private readonly BackendChoices _choices;
    private readonly Network _network;
    private readonly Dictionary<(int Batch, bool Training), IExecutionPlan> _chosen = [];
    private IExecutionPlan? _oneDnn;
    private IExecutionPlan? _managed;
    private IExecutionPlan? _lastTraining;
    private LayerProfile? _profile;
    private Action<IReadOnlyList<Parameter>>? _gradientsReady;

    public AutoPlan(AutoBackend backend, Network network, BackendChoices choices) => (_backend, _network, _choices) = (backend, network, choices);

    public IBackend Backend => _backend;

    public LayerProfile? Profile
    {
        get => _profile;
        set
        {
            _profile = value;
            if (_oneDnn is not null) _oneDnn.Profile = value;
            if (_managed is not null) _managed.Profile = value;
        }
    }

    public Action<IReadOnlyList<Parameter>>? GradientsReady
    {
        get => _gradientsReady;
        set
        {
            _gradientsReady = value;
            if (_oneDnn is not null) _oneDnn.GradientsReady = value;
            if (_managed is not null) _managed.GradientsReady = value;
        }
    }

    public Tensor Forward(Tensor input, ForwardContext context)
    {
        _network.CheckInput(input);
        var plan = Chosen(input.BatchSize, context.Training);
        var logits = plan.Forward(input, context);
        _lastTraining = context.Training ? plan : null;
        return logits;
    }

    public void Backward(Tensor logitsGradient)
    {
        var plan = _lastTraining ?? throw new InvalidOperationException("Backward needs a training Forward on the same plan first.");
        plan.Backward(logitsGradient);
    }

    /// <summary>The description of the backend chosen for this batch size and mode (running the trial if need be).</summary>
    public PlanDescription Describe(int batch, bool training) => Chosen(batch, training).Describe(batch, training);

    /// <summary>The backend's name chosen for a batch size and mode, choosing it if need be (for tests and bench).</summary>
    internal string ChosenBackend(int batch, bool training) => Chosen(batch, training).Backend.Name;

    private IExecutionPlan Chosen(int batch, bool training)
    {
        if (_chosen.TryGetValue((batch, training), out var plan)) return plan;
        if (!_choices.TryGet(_network, batch, training, out var name)) name = Decide(batch, training);
        plan = name == _backend.Managed.Name ? _managed ??= Inner(_backend.Managed) : _oneDnn ??= Inner(_backend.OneDnn);
        _chosen[(batch, training)] = plan;
        return plan;
    }

    private string Decide(int batch, bool training)
    {
        var work = (double)_network.MultiplyAdds * batch * (training ? 3 : 1);
        // Batch normalization cannot train on one image: the step fails on either backend, so there is nothing to time.
        if (work > TrialLimit || (training && _network.BatchNormUntrainableOn(batch, batch) is not null))
        {
            return _choices.Keep(_network, batch, training, _backend.OneDnn.Name);
        }
        var oneDnn = _oneDnn ??= Inner(_backend.OneDnn);
        var managed = _managed ??= Inner(_backend.Managed);
        var timed = BackendTrial.Run(_network, oneDnn, managed, batch, training);
        // The trial ran training passes of its own on both plans: a Backward now would not follow the caller's Forward.
        _lastTraining = null;
        var faster = timed.Managed < ManagedShare * timed.OneDnn ? managed : oneDnn;
        var kept = _choices.Keep(_network, batch, training, faster.Backend.Name);
        _backend.Notice(string.Create(CultureInfo.InvariantCulture,
            $"auto: {_network.Config.Architecture.ToName()} batch {batch} {(training ? "training" : "inference")} runs on {kept} " +
            $"({timed.OneDnn.TotalMilliseconds:F2} ms per step on onednn, {timed.Managed.TotalMilliseconds:F2} ms on managed)"));
        return kept;
    }

    private IExecutionPlan Inner(IBackend backend)
    {
        var plan = backend.CreatePlan(_network);
        plan.Profile = _profile;
        plan.GradientsReady = _gradientsReady;
        return plan;
    }

    public void Dispose()
    {
        _oneDnn?.Dispose();
        _managed?.Dispose();
    }
}
