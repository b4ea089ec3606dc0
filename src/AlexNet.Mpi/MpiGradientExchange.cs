using System.Diagnostics;
using AlexNet.Backends;
using AlexNet.Distributed;
using AlexNet.Tensors;

namespace AlexNet.Mpi;

/// <summary>
/// Sums one plan's gradients over the ranks while its backward pass runs. The parameters are grouped into buckets in
/// reverse layer order (<see cref="GradientBucket.Plan"/>); the plan reports each layer's finished gradients, and a
/// bucket whose gradients are all finished is handed to the communication thread at once, so that its reduction
/// overlaps the backward pass of the layers before it. Buckets are posted strictly in order, which makes every rank
/// issue the same collectives in the same order whatever its backend. The step's totals and a failure flag follow
/// the last bucket in one small reduction.
/// </summary>
internal sealed unsafe class MpiGradientExchange : IGradientExchange
{
    private readonly MpiTrainingGroup _group;
    private readonly CommunicationThread _thread;
    private readonly Collectives _collectives;
    private readonly IExecutionPlan _plan;
    private readonly IReadOnlyList<GradientBucket> _buckets;
    private readonly Dictionary<Parameter, int> _bucketOf = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Parameter> _finished = new(ReferenceEqualityComparer.Instance);
    private readonly int[] _missing;
    private readonly long _bytes;
    private int _next;
    private long _lastBucketTicket;
    private long _reduceTicks;
    private double _transferAtStart;

    public MpiGradientExchange(MpiTrainingGroup group, CommunicationThread thread, Collectives collectives, IExecutionPlan plan,
        IReadOnlyList<Parameter> parameters, long bucketBytes)
    {
        (_group, _thread, _collectives, _plan) = (group, thread, collectives, plan);
        _buckets = GradientBucket.Plan(parameters, bucketBytes);
        foreach (var bucket in _buckets)
        {
            foreach (var parameter in bucket.Parameters) _bucketOf[parameter] = bucket.Index;
        }
        _missing = new int[_buckets.Count];
        _bytes = _buckets.Sum(b => b.TotalBytes);
        plan.GradientsReady = OnGradientsReady;
    }

    public IReadOnlyList<GradientBucket> Buckets => _buckets;

    public ExchangeTimes LastStep { get; private set; } = ExchangeTimes.None;

    public void BeginStep()
    {
        _finished.Clear();
        for (var b = 0; b < _buckets.Count; b++) _missing[b] = _buckets[b].Parameters.Count;
        (_next, _lastBucketTicket, _reduceTicks) = (0, 0, 0);
        // Read on this thread while nothing is queued: the communication thread is idle between steps.
        _transferAtStart = _collectives.TransferSeconds;
    }

    private void OnGradientsReady(IReadOnlyList<Parameter> parameters)
    {
        foreach (var parameter in parameters)
        {
            if (_bucketOf.TryGetValue(parameter, out var bucket) && _finished.Add(parameter)) _missing[bucket]--;
        }
        while (_next < _buckets.Count && _missing[_next] == 0) Submit(_next++);
    }

    private void Submit(int index)
    {
        var bucket = _buckets[index];
        _lastBucketTicket = _thread.Post($"the reduction of gradient bucket {index}", () =>
        {
            var started = Stopwatch.GetTimestamp();
            Reduce(bucket);
            Interlocked.Add(ref _reduceTicks, Stopwatch.GetTimestamp() - started);
        });
    }

    private void Reduce(GradientBucket bucket)
    {
        foreach (var parameter in bucket.InPlace)
        {
            fixed (float* gradient = parameter.Gradient.Data) _collectives.SumInPlace(gradient, parameter.Gradient.Length);
        }
        if (bucket.Packed.Count == 0) return;
        var offset = 0;
        foreach (var parameter in bucket.Packed)
        {
            parameter.Gradient.Data.CopyTo(bucket.Staging, offset);
            offset += parameter.Gradient.Length;
        }
        fixed (float* staging = bucket.Staging) _collectives.SumInPlace(staging, bucket.Staging.Length);
        offset = 0;
        foreach (var parameter in bucket.Packed)
        {
            bucket.Staging.AsSpan(offset, parameter.Gradient.Length).CopyTo(parameter.Gradient.Data);
            offset += parameter.Gradient.Length;
        }
    }

    public void EndStep(double[] statistics, Exception? failure)
    {
        var backwardDone = Stopwatch.GetTimestamp();
        // Whatever backward did not hand over (a rank without samples in a short last batch, or one that failed) goes
        // now, so that every rank posts every bucket.
        while (_next < _buckets.Count) Submit(_next++);
        var totals = new double[statistics.Length + 1];
        statistics.CopyTo(totals, 0);
        totals[^1] = failure is null ? 0 : 1;
        var totalsTicket = _thread.Post("the reduction of the step's totals", () => _collectives.SumInPlace(totals));
        _thread.WaitFor(_lastBucketTicket);
        var exposed = Stopwatch.GetElapsedTime(backwardDone).TotalSeconds;
        var transfer = _collectives.TransferSeconds - _transferAtStart;
        _thread.WaitFor(totalsTicket);
        LastStep = new ExchangeTimes(_bytes, _buckets.Count, (double)Interlocked.Read(ref _reduceTicks) / Stopwatch.Frequency, transfer, exposed);
        if (totals[^1] > 0) _group.ThrowAgreedFailure(failure);
        Array.Copy(totals, statistics, statistics.Length);
    }

    public void Dispose()
    {
        if (_plan.GradientsReady == OnGradientsReady) _plan.GradientsReady = null;
    }
}
