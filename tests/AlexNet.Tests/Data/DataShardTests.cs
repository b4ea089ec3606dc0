using AlexNet.Data;
using Xunit;

namespace AlexNet.Tests.Data;

public sealed class DataShardTests
{
    [Theory]
    [InlineData(6, 1)]
    [InlineData(6, 2)]
    [InlineData(6, 3)]
    [InlineData(2, 5)]
    [InlineData(0, 3)]
    [InlineData(7, 4)]
    public void PortionsOfABatchFollowEachOtherAndCoverIt(int batchLength, int ranks)
    {
        var next = 0;
        for (var rank = 0; rank < ranks; rank++)
        {
            var (start, count) = new DataShard(rank, ranks).Portion(batchLength);
            Assert.Equal(next, start);
            Assert.InRange(count, batchLength / ranks, (batchLength + ranks - 1) / ranks);
            next = start + count;
        }
        Assert.Equal(batchLength, next);
    }

    [Theory]
    [InlineData(29, 6, 2)]
    [InlineData(29, 6, 3)]
    [InlineData(31, 6, 3)]
    [InlineData(24, 8, 4)]
    [InlineData(2, 6, 3)]
    public void TheRanksLocalOrdersTogetherAreTheEpochBatchByBatch(int count, int batchSize, int ranks)
    {
        var order = Enumerable.Range(0, count).Select(i => (i * 17 + 5) % count).ToArray();
        var local = Enumerable.Range(0, ranks).Select(r => new DataShard(r, ranks).LocalOrder(order, batchSize)).ToArray();
        var perRank = batchSize / ranks;
        var rebuilt = new List<int>();
        for (var b = 0; b * batchSize < count; b++)
        {
            // Full batches give every rank batch/ranks samples; only a short last batch splits unevenly.
            for (var r = 0; r < ranks; r++) rebuilt.AddRange(local[r].Skip(b * perRank).Take(perRank));
        }
        Assert.Equal(order, rebuilt);
    }

    [Fact]
    public void TheWholeKeepsTheOrderAsItIs()
    {
        int[] order = [3, 1, 2, 0];
        Assert.Same(order, DataShard.Whole.LocalOrder(order, 3));
        Assert.Equal((0, 5), DataShard.Whole.Portion(5));
    }

    [Fact]
    public void ABatchThatDoesNotDivideIsNamedWithMultiplesThatDo()
    {
        var error = Assert.Throws<AlexNetException>(() => new DataShard(1, 3).CheckDivides(128, "--batch-size"));
        Assert.Equal(
            "--batch-size 128 does not divide over 3 ranks: it is the global batch, split into equal parts of batch/ranks; choose a multiple of 3 (for example 126 or 129).",
            error.Message);
        Assert.Equal(42, new DataShard(0, 3).LocalBatchSize(126));
    }

    [Theory]
    [InlineData(500, 1, 500)]
    [InlineData(500, 3, 498)]
    [InlineData(2, 3, 3)]
    public void EvenBatchSizesDivideOverTheRanks(int preferred, int ranks, int expected) =>
        Assert.Equal(expected, new DataShard(0, ranks).EvenBatchSize(preferred));
}
