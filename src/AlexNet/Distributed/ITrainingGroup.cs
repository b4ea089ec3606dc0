using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Tensors;

namespace AlexNet.Distributed;

/// <summary>
/// The processes (ranks) that train one model together, data-parallel: each computes the gradients of its part of
/// every batch, the gradients are summed over the ranks, and every rank applies the same update, so that all hold
/// the same weights. A single process is the group <see cref="SingleProcess"/>. Every member is collective: all
/// ranks call it, in the same order.
/// </summary>
public interface ITrainingGroup
{
    /// <summary>This process's rank, 0 ≤ Rank &lt; Size. Rank 0 alone writes files and prints progress.</summary>
    int Rank { get; }

    int Size { get; }

    /// <summary>The part of every batch this rank takes.</summary>
    DataShard Shard => new(Rank, Size);

    /// <summary>True for the rank that writes metrics, checkpoints and reports.</summary>
    bool IsWriter => Rank == 0;

    /// <summary>
    /// Sums the gradients of <paramref name="parameters"/> over the ranks at every step, starting each part as soon as
    /// <paramref name="plan"/>'s backward pass has finished it.
    /// </summary>
    IGradientExchange ExchangeGradients(IExecutionPlan plan, IReadOnlyList<Parameter> parameters);

    /// <summary>Replaces every value by its sum over the ranks.</summary>
    void Sum(double[] values);

    /// <summary>
    /// Ends a stretch of work that may have failed on some ranks and not on others. Returns when no rank failed;
    /// otherwise every rank throws the same <see cref="AlexNetException"/>, naming each rank that failed and why.
    /// </summary>
    void Agree(Exception? failure);

    /// <summary>Overwrites <paramref name="values"/> with rank 0's.</summary>
    void Broadcast(float[] values);

    /// <summary>Rank 0's <paramref name="content"/> (which only rank 0 needs to pass) on every rank.</summary>
    byte[] Broadcast(byte[]? content);

    /// <summary>The single-process group: nothing to exchange, failures rethrown as they are.</summary>
    public static ITrainingGroup SingleProcess { get; } = new SingleProcessGroup();
}
