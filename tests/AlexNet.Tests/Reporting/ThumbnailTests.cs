using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;
using AlexNet.Reporting;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Reporting;

public sealed class ThumbnailTests
{
    [Theory]
    [InlineData(ChannelOrder.Rgb)]
    [InlineData(ChannelOrder.Bgr)]
    public void NormalizationIsUndoneInImageChannelOrder(ChannelOrder order)
    {
        var image = RandomImage(9, 9, 3, seed: 3);
        float[] mean = [0.485f, 0.456f, 0.406f], std = [0.229f, 0.224f, 0.225f];
        var batch = new Tensor(2, 3, 9, 9);
        SampleConverter.PerChannel(9, order, mean, std).Write(image, batch, 1);

        var thumbnail = Thumbnail.FromInput(batch, 1, new Preprocessing(mean, std, order, 9));
        Assert.Equal(image.Pixels, thumbnail.Pixels);
    }

    [Fact]
    public void GreyImagesStayGrey()
    {
        var image = RandomImage(28, 28, 1, seed: 4);
        var preprocessing = new Preprocessing([0.286f], [0.353f], ChannelOrder.Gray, 28);
        var batch = new Tensor(1, 1, 28, 28);
        preprocessing.Apply(image.Pixels, batch, 0);
        var thumbnail = Thumbnail.FromInput(batch, 0, preprocessing);
        Assert.Equal((28, 28, 1), (thumbnail.Width, thumbnail.Height, thumbnail.Channels));
        Assert.Equal(image.Pixels, thumbnail.Pixels);
    }

    [Fact]
    public void LargeInputsShrinkByAWholeFactor()
    {
        var image = RandomImage(227, 227, 3, seed: 5);
        var small = Thumbnail.Shrink(image);
        Assert.Equal((113, 113), (small.Width, small.Height));
        // The top-left output pixel is the rounded mean of the 2×2 block it covers.
        for (var c = 0; c < 3; c++)
        {
            var sum = image.Pixels[c] + image.Pixels[3 + c] + image.Pixels[227 * 3 + c] + image.Pixels[227 * 3 + 3 + c];
            Assert.Equal((sum + 2) / 4, small.Pixels[c]);
        }
    }

    private static Image RandomImage(int width, int height, int channels, ulong seed)
    {
        var random = new RandomStream(seed);
        var pixels = new byte[width * height * channels];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)random.NextInt(256);
        return new Image(width, height, channels, pixels);
    }
}
