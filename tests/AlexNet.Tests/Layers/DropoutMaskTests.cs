using AlexNet.Layers;
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
}
