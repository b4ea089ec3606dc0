using AlexNet.Data;
using AlexNet.Data.Loading;
using AlexNet.Data.Transforms;
using AlexNet.Tests.Support;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Data.Loading;

/// <summary>
/// Ranks that load their shards of the same epoch get, between them, exactly the single process's batches: the same
/// samples in the same places, augmented alike (each sample's crop, flip and lighting come from its own index).
/// </summary>
public sealed class ShardedBatchesTests
{
    private static readonly SamplePipeline Pipeline = SamplePipeline.PaperTraining(
        SampleConverter.PerChannel(24, ChannelOrder.Rgb, [0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]), new PcaLighting(PcaStatistics.ImageNet), resize: 32);

    [Theory]
    [InlineData(2, 0)]
    [InlineData(3, 2)]
    public void TheRanksLoaderBatchesPutTogetherAreTheSingleProcessBatches(int ranks, int workers)
    {
        var source = new FabricatedSource(29);
        var options = new DataLoaderOptions { BatchSize = 6, Seed = 42, Workers = workers, PrefetchBatches = 2 };
        var whole = new DataLoader(source, Pipeline, options).Epoch(2).ToArray();
        var shards = Enumerable.Range(0, ranks)
            .Select(r => new DataLoader(source, Pipeline, options with { Shard = new DataShard(r, ranks) }))
            .ToArray();
        var local = shards.Select(loader => loader.Epoch(2).ToArray()).ToArray();
        Assert.Equal(5, whole.Length);
        for (var r = 0; r < ranks; r++) Assert.Equal(local[r].Length, shards[r].BatchCount);
        for (var b = 0; b < whole.Length; b++)
        {
            var parts = local.Where(l => b < l.Length).Select(l => l[b]).ToArray();
            Assert.Equal(whole[b].Indices, parts.SelectMany(p => p.Indices));
            Assert.Equal(whole[b].Labels, parts.SelectMany(p => p.Labels));
            Assert.Equal(whole[b].Images.Data, parts.SelectMany(p => p.Images.Data));
        }
    }

    [Fact]
    public void AResumedShardSkipsTheBatchesItHadLoaded()
    {
        var source = new FabricatedSource(29);
        var loader = new DataLoader(source, Pipeline, new DataLoaderOptions { BatchSize = 6, Seed = 1, Workers = 1, Shard = new DataShard(1, 2) });
        Assert.Equal(loader.Epoch(0).Skip(3).SelectMany(b => b.Indices), loader.Epoch(0, startBatch: 3).SelectMany(b => b.Indices));
    }

    [Fact]
    public void ALoaderRefusesABatchThatDoesNotDivideOverTheRanks()
    {
        var error = Assert.Throws<AlexNetException>(() =>
            new DataLoader(new FabricatedSource(8), Pipeline, new DataLoaderOptions { BatchSize = 8, Shard = new DataShard(0, 3) }));
        Assert.Contains("The batch size 8 does not divide over 3 ranks", error.Message);
    }

    [Fact]
    public void InMemoryShardsPutTogetherAreTheSingleProcessBatches()
    {
        var data = SyntheticData.Squares(23);
        var preprocessing = Preprocessing.FromStatistics(data);
        var whole = new InMemoryBatches(data, preprocessing, 6, shuffle: true, seed: 3).Epoch(1).ToArray();
        var shards = Enumerable.Range(0, 3).Select(r => new InMemoryBatches(data, preprocessing, 6, shuffle: true, seed: 3, new DataShard(r, 3)).Epoch(1).ToArray()).ToArray();
        for (var b = 0; b < whole.Length; b++)
        {
            var parts = shards.Where(s => b < s.Length).Select(s => s[b]).ToArray();
            Assert.Equal(whole[b].Indices, parts.SelectMany(p => p.Indices));
            Assert.Equal(whole[b].Images.Data, parts.SelectMany(p => p.Images.Data));
        }
    }
}
