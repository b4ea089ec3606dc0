using AlexNet.Models;

namespace AlexNet.Mpi.Tests;

public sealed class GradientBucketTests
{
    private static readonly Network Paper = ModelFactory.Build(new ModelConfig(Architecture.Paper));

    [Fact]
    public void PaperBucketsOf25MegabytesStartWithTheFullyConnectedLayers()
    {
        var buckets = GradientBucket.Plan(Paper.Parameters, 25_000_000);
        Assert.Equal(
            [["fc8.bias", "fc8.weight", "fc7.bias", "fc7.weight"], ["fc6.bias", "fc6.weight"],
                ["conv5.bias", "conv5.weight", "conv4.bias", "conv4.weight", "conv3.bias", "conv3.weight", "conv2.bias", "conv2.weight", "conv1.bias", "conv1.weight"]],
            buckets.Select(b => b.Parameters.Select(p => p.Name).ToArray()).ToArray());
        // The fully connected layers, ready first, hold 96% of the 244 MB.
        var bytes = buckets.Sum(b => b.TotalBytes);
        Assert.Equal(60_965_224L * 4, bytes);
        Assert.InRange((double)(buckets[0].TotalBytes + buckets[1].TotalBytes) / bytes, 0.95, 0.97);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(2_000_000)]
    [InlineData(25_000_000)]
    [InlineData(1_000_000_000)]
    public void EveryParameterIsInOneBucketInReverseOrderAndBucketsCloseOnceFull(long capacity)
    {
        var buckets = GradientBucket.Plan(Paper.Parameters, capacity);
        Assert.Equal(Paper.Parameters.Reverse(), buckets.SelectMany(b => b.Parameters));
        Assert.Equal(Enumerable.Range(0, buckets.Count), buckets.Select(b => b.Index));
        // A bucket closes with the parameter that fills it: all but the last hold at least the capacity, and would not
        // without their last parameter.
        foreach (var bucket in buckets.SkipLast(1))
        {
            Assert.True(bucket.TotalBytes >= capacity);
            Assert.True(bucket.TotalBytes - GradientBucket.Bytes(bucket.Parameters[^1]) < capacity);
        }
    }

    [Fact]
    public void LargeGradientsAreReducedInPlaceAndSmallOnesPacked()
    {
        var bucket = GradientBucket.Plan(Paper.Parameters, 25_000_000)[2];
        Assert.Equal(["conv5.weight", "conv4.weight", "conv3.weight", "conv2.weight"], bucket.InPlace.Select(p => p.Name));
        Assert.Equal(["conv5.bias", "conv4.bias", "conv3.bias", "conv2.bias", "conv1.bias", "conv1.weight"], bucket.Packed.Select(p => p.Name));
        Assert.Equal(bucket.Packed.Sum(p => p.Gradient.Length), bucket.Staging.Length);

        // Small buckets keep a gradient of half a bucket or more in place too.
        var small = GradientBucket.Plan(Paper.Parameters, 200_000);
        Assert.All(small.SelectMany(b => b.InPlace), p => Assert.True(GradientBucket.Bytes(p) >= 100_000));
        Assert.All(small.SelectMany(b => b.Packed), p => Assert.True(GradientBucket.Bytes(p) < 100_000));
    }
}
