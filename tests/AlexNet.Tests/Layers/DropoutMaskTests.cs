using AlexNet.Layers;
using AlexNet.Randomness;
using Xunit;

namespace AlexNet.Tests.Layers;

public sealed class DropoutMaskTests
{
    [Fact]
    public void ASliceOfTheGlobalBatchDrawsTheGlobalBatchesMasks()
    {
        var dropout = new DropoutLayer("drop6", 0.5f);
        var context = new ForwardContext(true, Seed: 9, Step: 4);
        var (whole, slice) = (new float[60], new float[30]);
        dropout.FillMask(whole, 6, 10, context);
        dropout.FillMask(slice, 3, 10, context with { SampleOffset = 2 });
        Assert.Equal(whole[20..50], slice);
        Assert.NotEqual(whole[..30], slice);
    }

    /// <summary>The vectorized mask against its plain twin: one uniform draw per unit, kept when below 1 − p.</summary>
    [Theory]
    [InlineData(0.5f, 3, 37)]
    [InlineData(0.1f, 2, 8)]
    [InlineData(0.9f, 4, 1)]
    [InlineData(0.3f, 5, 4096)]
    public void EachUnitIsKeptWhenItsUniformDrawIsBelowTheKeepProbability(float probability, int batch, int itemLength)
    {
        var dropout = new DropoutLayer("drop7", probability);
        var context = new ForwardContext(true, Seed: 3, Step: 11) { SampleOffset = 5 };
        var mask = new float[batch * itemLength];
        dropout.FillMask(mask, batch, itemLength, context);

        var (keep, scale) = (1 - probability, 1 / (1 - probability));
        var layerStream = DropoutLayer.StableHash("drop7");
        for (var n = 0; n < batch; n++)
        {
            var random = new RandomStream(3, 11, layerStream, (ulong)(5 + n));
            for (var i = 0; i < itemLength; i++)
            {
                Assert.Equal(random.NextSingle() < keep ? scale : 0f, mask[n * itemLength + i]);
            }
        }
        if (batch * itemLength > 100) Assert.InRange(mask.Count(v => v != 0) / (double)mask.Length, keep - 0.05, keep + 0.05);
    }
}
