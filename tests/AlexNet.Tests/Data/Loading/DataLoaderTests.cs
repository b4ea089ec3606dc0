using AlexNet.Data;
using AlexNet.Data.Loading;
using AlexNet.Data.Transforms;
using Xunit;

namespace AlexNet.Tests.Data.Loading;

public sealed class DataLoaderTests
{
    private static SamplePipeline Training(int channels = 3)
    {
        var converter = channels == 1
            ? SampleConverter.PerChannel(24, ChannelOrder.Gray, [0.5f], [0.25f])
            : SampleConverter.PerChannel(24, ChannelOrder.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);
        // The paper's recipe at a small scale: shorter side 32, centre 32×32, random 24×24, flip, lighting.
        return SamplePipeline.PaperTraining(converter, channels == 3 ? new PcaLighting(PcaStatistics.ImageNet) : null, resize: 32);
    }

    private static DataLoaderOptions Options(int workers, int batchSize = 8, bool dropLast = false) =>
        new() { BatchSize = batchSize, Workers = workers, PrefetchBatches = 2, Seed = 42, DropLast = dropLast };

    [Fact]
    public void BatchesAreIdenticalForAnyNumberOfWorkers()
    {
        var source = new FabricatedSource(29);
        var inline = new DataLoader(source, Training(), Options(0)).Epoch(3).ToArray();
        var one = new DataLoader(source, Training(), Options(1)).Epoch(3).ToArray();
        var three = new DataLoader(source, Training(), Options(3)).Epoch(3).ToArray();
        Assert.Equal(4, one.Length);
        foreach (var other in new[] { inline, three })
        {
            Assert.Equal(one.Length, other.Length);
            for (var b = 0; b < one.Length; b++)
            {
                Assert.Equal(one[b].Indices, other[b].Indices);
                Assert.Equal(one[b].Labels, other[b].Labels);
                Assert.Equal(one[b].Images.Shape, other[b].Images.Shape);
                Assert.True(one[b].Images.Data.AsSpan().SequenceEqual(other[b].Images.Data), $"Batch {b} differs.");
            }
        }
    }

    [Fact]
    public void EpochsShuffleDifferentlyAndEverySampleAppearsOnce()
    {
        var source = new FabricatedSource(29);
        var loader = new DataLoader(source, Training(), Options(2));
        var first = loader.Epoch(0).SelectMany(b => b.Indices).ToArray();
        var second = loader.Epoch(1).SelectMany(b => b.Indices).ToArray();
        Assert.Equal(Enumerable.Range(0, 29), first.Order());
        Assert.Equal(Enumerable.Range(0, 29), second.Order());
        Assert.NotEqual(first, second);
        Assert.Equal(BatchIterator.EpochOrder(29, 42, 1, shuffle: true), second);
        var again = loader.Epoch(1).ToArray();
        Assert.Equal(second, again.SelectMany(b => b.Indices));
        var labels = again.SelectMany(b => b.Labels).ToArray();
        Assert.Equal(second.Select(source.Label), labels);
    }

    [Fact]
    public void AugmentationDependsOnTheEpoch()
    {
        var options = Options(1, batchSize: 29) with { Shuffle = false };
        var loader = new DataLoader(new FabricatedSource(29), Training(), options);
        var epoch0 = loader.Epoch(0).Single();
        var epoch1 = loader.Epoch(1).Single();
        Assert.Equal(epoch0.Indices, epoch1.Indices);
        Assert.NotEqual(epoch0.Images.Data, epoch1.Images.Data);
    }

    [Theory]
    [InlineData(false, new[] { 8, 8, 8, 5 })]
    [InlineData(true, new[] { 8, 8, 8 })]
    public void LastPartialBatchIsKeptOrDropped(bool dropLast, int[] sizes)
    {
        foreach (var workers in new[] { 0, 2 })
        {
            var loader = new DataLoader(new FabricatedSource(29, classes: 3), Training(channels: 1), Options(workers, dropLast: dropLast) with { Channels = 1 });
            var batches = loader.Epoch(0).ToArray();
            Assert.Equal(sizes.Length, loader.BatchCount);
            Assert.Equal(sizes, batches.Select(b => b.Images.Shape[0]));
            Assert.All(batches, b => Assert.Equal((1, 24, 24), (b.Images.Shape[1], b.Images.Shape[2], b.Images.Shape[3])));
            Assert.All(batches, b => Assert.Equal(b.Images.Shape[0], b.Labels.Length));
        }
    }

    [Fact]
    public void PrefetchIsBounded()
    {
        const int batchSize = 4;
        const int prefetch = 2;
        var source = new FabricatedSource(64);
        var options = Options(3, batchSize) with { PrefetchBatches = prefetch, Shuffle = false };
        var loader = new DataLoader(source, Training(), options);
        var held = 0;
        foreach (var batch in loader.Epoch(0))
        {
            Assert.Equal(held * batchSize, batch.Indices[0]);
            // Give the workers every chance to run ahead, then check how far they got.
            Thread.Sleep(30);
            var furthestBatch = source.Loaded.Max() / batchSize;
            Assert.True(furthestBatch <= held + prefetch,
                $"While the consumer held batch {held}, workers had started batch {furthestBatch} (prefetch {prefetch}).");
            held++;
        }
        Assert.Equal(16, held);
    }

    [Fact]
    public void AWorkerErrorSurfacesWithTheSampleDescription()
    {
        var source = new FabricatedSource(40) { Broken = [21, 23] };
        var options = Options(3, batchSize: 4) with { Shuffle = false };
        var delivered = new List<int>();
        var error = Assert.Throws<AlexNetException>(() =>
        {
            foreach (var batch in new DataLoader(source, Training(), options).Epoch(0)) delivered.AddRange(batch.Indices);
        });
        Assert.Contains("fabricated/0021.jpg", error.Message);
        Assert.Contains("corrupt JPEG header", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Equal(Enumerable.Range(0, 20), delivered);
        AssertStopped(source);
    }

    [Fact]
    public void InlineErrorsAlsoNameTheSample()
    {
        var source = new FabricatedSource(10) { Broken = [3] };
        var error = Assert.Throws<AlexNetException>(() => new DataLoader(source, Training(), Options(0) with { Shuffle = false }).Epoch(0).ToArray());
        Assert.Contains("fabricated/0003.jpg", error.Message);
    }

    [Fact]
    public void AbandoningAnEpochStopsTheWorkers()
    {
        var source = new FabricatedSource(200);
        var loader = new DataLoader(source, Training(), Options(3, batchSize: 4));
        var taken = loader.Epoch(0).Take(2).ToArray();
        Assert.Equal(2, taken.Length);
        AssertStopped(source);
        Assert.True(source.Loaded.Count < 200, "Workers should not have finished the epoch.");
    }

    [Fact]
    public void CancellationStopsTheEpoch()
    {
        using var cancellation = new CancellationTokenSource();
        var source = new FabricatedSource(200);
        var loader = new DataLoader(source, Training(), Options(2, batchSize: 4));
        var count = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in loader.Epoch(0, cancellation.Token))
            {
                if (++count == 3) cancellation.Cancel();
            }
        });
        Assert.Equal(3, count);
        AssertStopped(source);
    }

    [Fact]
    public void CancellationWakesAConsumerWaitingForASlowWorker()
    {
        using var cancellation = new CancellationTokenSource();
        // Every load takes until the cancellation (a decode that is slow but finishes).
        var source = new FabricatedSource(20) { BeforeLoad = _ => cancellation.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(10)) };
        var loader = new DataLoader(source, Training(), Options(2, batchSize: 4));
        // A thread of its own, not CancelAfter: a timer fires on the thread pool, which other tests running in
        // parallel can starve for seconds, and the test would then measure the pool instead of the loader.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(100);
            cancellation.Cancel();
        }) { IsBackground = true };
        var started = DateTime.UtcNow;
        canceller.Start();
        Assert.ThrowsAny<OperationCanceledException>(() => loader.Epoch(0, cancellation.Token).First());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        AssertStopped(source);
    }

    [Fact]
    public void BadOptionsNameTheOption()
    {
        var source = new FabricatedSource(4);
        Assert.Contains("batch size", Assert.Throws<AlexNetException>(() => new DataLoader(source, Training(), Options(1) with { BatchSize = 0 })).Message);
        Assert.Contains("prefetch", Assert.Throws<AlexNetException>(() => new DataLoader(source, Training(), Options(1) with { PrefetchBatches = 0 })).Message);
        Assert.Contains("workers", Assert.Throws<AlexNetException>(() => new DataLoader(source, Training(), Options(-1))).Message);
        Assert.Contains("1-channel", Assert.Throws<AlexNetException>(() => new DataLoader(source, Training(), Options(1) with { Channels = 1 })).Message);
    }

    [Fact]
    public void DefaultsFollowThePaperAndTheMachine()
    {
        var options = new DataLoaderOptions();
        Assert.Equal(128, options.BatchSize);
        Assert.Equal(Environment.ProcessorCount, options.Workers);
        Assert.InRange(options.PrefetchBatches, 2, 4);
        Assert.True(options.Shuffle);
    }

    /// <summary>After the enumeration is over, every thread that loaded samples has ended (none was the test's own).</summary>
    private static void AssertStopped(FabricatedSource source)
    {
        var workers = source.Threads.Where(t => t != Thread.CurrentThread).ToArray();
        Assert.NotEmpty(workers);
        Assert.All(workers, t => Assert.False(t.IsAlive, $"Loader thread '{t.Name}' is still running."));
    }
}
