using AlexNet.Models;

namespace AlexNet.Backends;

/// <summary>
/// Computes a network's forward and backward passes. A backend compiles a network into an
/// <see cref="IExecutionPlan"/>, which may keep activations in its own memory formats between layers;
/// parameters, their gradients, the network's input and its logits cross the seam in canonical layout.
/// </summary>
public interface IBackend
{
    /// <summary>Short name shown to users: <c>managed</c>, <c>onednn</c>.</summary>
    string Name { get; }

    IExecutionPlan CreatePlan(Network network);

    /// <summary>
    /// How many plans are worth running at once. A backend whose every pass starts a thread team over all cores
    /// (oneDNN's OpenMP) says 1: callers such as <see cref="Inference.Predictor"/> then queue their passes instead of
    /// running several teams on the same cores, which is no faster and holds a compiled plan per caller.
    /// </summary>
    int ConcurrentPlans => int.MaxValue;
}
