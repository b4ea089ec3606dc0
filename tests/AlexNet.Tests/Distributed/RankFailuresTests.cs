using AlexNet.Distributed;
using Xunit;

namespace AlexNet.Tests.Distributed;

public sealed class RankFailuresTests
{
    [Fact]
    public void OneFailedRankIsNamedWithItsCause() =>
        Assert.Equal("rank 2 of 3 failed: Sample 4 (a.jpg) could not be loaded (all 3 ranks stopped)",
            RankFailures.Describe([null, null, "Sample 4 (a.jpg) could not be loaded"]));

    [Fact]
    public void RanksThatFailedAlikeAreNamedTogether() =>
        Assert.Equal("ranks 0, 1 and 3 of 4 failed: loss NaN; rank 2 of 4 failed: disk full (all 4 ranks stopped)",
            RankFailures.Describe(["loss NaN", "loss NaN", "disk full", "loss NaN"]));

    [Fact]
    public void NoFailureIsNoMessage() => Assert.Throws<ArgumentException>(() => RankFailures.Describe([null, null]));

    [Fact]
    public void TheSingleProcessRethrowsItsOwnFailureUnchanged()
    {
        var group = ITrainingGroup.SingleProcess;
        var failure = new InvalidOperationException("kept");
        Assert.Same(failure, Assert.Throws<InvalidOperationException>(() => group.Agree(failure)));
        group.Agree(null);
        var values = new[] { 1.5, 2.0 };
        group.Sum(values);
        Assert.Equal([1.5, 2.0], values);
        Assert.Equal(DataShard(), group.Shard);
    }

    private static AlexNet.Data.DataShard DataShard() => AlexNet.Data.DataShard.Whole;
}
