using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Inference;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Inference;

/// <summary>
/// Predictor lets at most <see cref="IBackend.ConcurrentPlans"/> passes compute at once, and queued callers get the
/// same answers as serial ones. A managed backend under a gate that counts passes in flight shows both.
/// </summary>
public sealed class PredictorTurnTests
{
    /// <summary>The managed backend, reporting how many passes run at once; each pass lingers so that callers overlap.</summary>
    private sealed class CountingBackend(int concurrentPlans) : IBackend
    {
        private int _inFlight;

        public int MostInFlight;

        public string Name => "counting";

        public int ConcurrentPlans => concurrentPlans;

        public IExecutionPlan CreatePlan(Network network) => new Plan(this, ManagedBackend.Instance.CreatePlan(network));

        private sealed class Plan(CountingBackend owner, IExecutionPlan inner) : IExecutionPlan
        {
            public IBackend Backend => owner;

            public LayerProfile? Profile { get => inner.Profile; set => inner.Profile = value; }

            public Action<IReadOnlyList<Parameter>>? GradientsReady { get => inner.GradientsReady; set => inner.GradientsReady = value; }

            public Tensor Forward(Tensor input, ForwardContext context)
            {
                var now = Interlocked.Increment(ref owner._inFlight);
                InterlockedMax(ref owner.MostInFlight, now);
                Thread.Sleep(20);
                try
                {
                    return inner.Forward(input, context);
                }
                finally
                {
                    Interlocked.Decrement(ref owner._inFlight);
                }
            }

            public void Backward(Tensor logitsGradient) => inner.Backward(logitsGradient);

            public PlanDescription Describe(int batch, bool training) => inner.Describe(batch, training);

            public void Dispose() => inner.Dispose();
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private static (Predictor Predictor, Image[] Images) Create(IBackend backend)
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, Classes: 4, InputChannels: 1, InputSize: 28), 7);
        var predictor = new Predictor(network, new Preprocessing([0.5f], [0.25f], ChannelOrder.Gray, 28), ["a", "b", "c", "d"], backend);
        var random = new Random(3);
        var images = Enumerable.Range(0, 12).Select(_ =>
        {
            var pixels = new byte[28 * 28];
            random.NextBytes(pixels);
            return new Image(28, 28, 1, pixels);
        }).ToArray();
        return (predictor, images);
    }

    /// <summary>One dedicated thread per image, released together: overlap does not wait for the thread pool to grow.</summary>
    private static float[][] InParallel(Predictor predictor, Image[] images)
    {
        var results = new float[images.Length][];
        using var start = new Barrier(images.Length);
        var threads = Enumerable.Range(0, images.Length).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            results[i] = predictor.Probabilities(images[i], tenCrop: false);
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return results;
    }

    [Fact]
    public void ABackendThatAllowsOnePlanGetsOnePassAtATimeAndTheSameAnswers()
    {
        var backend = new CountingBackend(concurrentPlans: 1);
        var (predictor, images) = Create(backend);
        using (predictor)
        {
            var serial = images.Select(image => predictor.Probabilities(image, tenCrop: false)).ToArray();
            var parallel = InParallel(predictor, images);
            Assert.Equal(1, backend.MostInFlight);
            for (var i = 0; i < images.Length; i++) Assert.Equal(serial[i], parallel[i]);
        }
    }

    [Fact]
    public void WithoutALimitCallersOverlap()
    {
        var backend = new CountingBackend(concurrentPlans: int.MaxValue);
        var (predictor, images) = Create(backend);
        using (predictor) InParallel(predictor, images);
        Assert.True(backend.MostInFlight > 1, "twelve callers never overlapped, so the one-at-a-time test would prove nothing");
    }

    [Fact]
    public void ManagedAllowsAnyNumberOfPlansAndABackendAllowingNoneIsRefused()
    {
        Assert.Equal(int.MaxValue, ((IBackend)ManagedBackend.Instance).ConcurrentPlans);
        Assert.Throws<ArgumentException>(() => Create(new CountingBackend(concurrentPlans: 0)));
    }
}
