using System.Runtime.ExceptionServices;
using AlexNet.Backends;
using AlexNet.Tensors;

namespace AlexNet.Distributed;

/// <summary>A run of one process: sums are the values themselves and a failure is rethrown unchanged.</summary>
internal sealed class SingleProcessGroup : ITrainingGroup
{
    public int Rank => 0;

    public int Size => 1;

    public IGradientExchange ExchangeGradients(IExecutionPlan plan, IReadOnlyList<Parameter> parameters) => new LocalExchange();

    public void Sum(double[] values)
    {
    }

    public void Agree(Exception? failure)
    {
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
    }

    public void Broadcast(float[] values)
    {
    }

    public byte[] Broadcast(byte[]? content) => content ?? throw new ArgumentNullException(nameof(content), "Rank 0 must pass the content it broadcasts.");

    private sealed class LocalExchange : IGradientExchange
    {
        public ExchangeTimes LastStep => ExchangeTimes.None;

        public void BeginStep()
        {
        }

        public void EndStep(double[] statistics, Exception? failure)
        {
            if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        }

        public void Dispose()
        {
        }
    }
}
