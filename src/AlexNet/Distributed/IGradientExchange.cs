namespace AlexNet.Distributed;

/// <summary>
/// One training plan's gradient reduction, step by step: <see cref="BeginStep"/> before the forward pass;
/// while backward runs, the plan hands over finished gradients and their reduction starts; <see cref="EndStep"/>
/// reduces whatever is left, waits for all of it, and agrees with the other ranks on failures.
/// </summary>
public interface IGradientExchange : IDisposable
{
    void BeginStep();

    /// <summary>
    /// Completes the step: every gradient then holds its sum over the ranks, and <paramref name="statistics"/> (the
    /// step's loss sum, counts and flags) its sum too. When <paramref name="failure"/> is set on any rank, throws
    /// instead, on every rank, naming the ranks that failed; the failing rank still takes part, so nobody hangs.
    /// </summary>
    void EndStep(double[] statistics, Exception? failure);

    /// <summary>What the last completed step's reduction cost.</summary>
    ExchangeTimes LastStep { get; }
}
