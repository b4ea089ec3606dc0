using AlexNet.Data.Images;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;
using Xunit;

namespace AlexNet.Tests.Data.Transforms;

public sealed class CropAndFlipTests
{
    [Theory]
    [InlineData(256, 256, 227, 3)]
    [InlineData(41, 30, 17, 1)]
    [InlineData(20, 20, 20, 3)]
    public void RandomCropsStayInsideAndCoverEveryOffset(int width, int height, int size, int channels)
    {
        // Grey: noise, so that a crop's position is unambiguous (the grey coordinate pattern repeats).
        var image = channels == 3 ? TestImages.Coordinates(width, height, 3) : TestImages.Noise(width, height, 1, 2);
        var crop = new RandomCrop(size);
        var seenLeft = new HashSet<int>();
        var seenTop = new HashSet<int>();
        for (var draw = 0; draw < 2000; draw++)
        {
            var result = crop.Apply(image, new RandomStream(7, (ulong)draw));
            Assert.Equal((size, size, channels), (result.Width, result.Height, result.Channels));
            var (left, top) = channels == 3
                ? (TestImages.At(result, 0, 0, 0), TestImages.At(result, 0, 0, 1))
                : FindOffset(image, result);
            Assert.InRange(left, 0, width - size);
            Assert.InRange(top, 0, height - size);
            AssertRegion(image, result, left, top);
            seenLeft.Add(left);
            seenTop.Add(top);
        }
        Assert.Equal(width - size + 1, seenLeft.Count);
        Assert.Equal(height - size + 1, seenTop.Count);
    }

    [Fact]
    public void RandomCropIsReproducibleFromTheStream()
    {
        var image = TestImages.Noise(64, 48, 3, 3);
        var a = new RandomCrop(32).Apply(image, new RandomStream(5, 1, 2, 3));
        var b = new RandomCrop(32).Apply(image, new RandomStream(5, 1, 2, 3));
        Assert.Equal(a.Pixels, b.Pixels);
    }

    [Fact]
    public void CropLargerThanImageNamesBothSizes()
    {
        var image = TestImages.Noise(200, 150, 3, 1);
        var error = Assert.Throws<AlexNetException>(() => new RandomCrop(227).Apply(image, new RandomStream(0)));
        Assert.Contains("227×227", error.Message);
        Assert.Contains("200×150", error.Message);
        error = Assert.Throws<AlexNetException>(() => new CenterCrop(160).Apply(image, new RandomStream(0)));
        Assert.Contains("200×150", error.Message);
        error = Assert.Throws<AlexNetException>(() => new TenCrop(151).Apply(image));
        Assert.Contains("151×151", error.Message);
    }

    [Theory]
    [InlineData(341, 256, 256, 42, 0)] // (341 − 256) / 2 = 42.5 → 42 (ties to even, as torchvision)
    [InlineData(256, 256, 227, 14, 14)] // 14.5 → 14
    [InlineData(258, 259, 227, 16, 16)] // 15.5 → 16, 16
    [InlineData(30, 20, 10, 10, 5)]
    public void CenterCropOffsetsFollowTorchvision(int width, int height, int size, int left, int top)
    {
        var image = TestImages.Coordinates(width, height, 3);
        var result = new CenterCrop(size).Apply(image, new RandomStream(0));
        Assert.Equal((size, size), (result.Width, result.Height));
        AssertRegion(image, result, left, top);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void FlipTwiceIsIdentity(int channels)
    {
        var image = TestImages.Noise(37, 11, channels, 4);
        var flip = new RandomHorizontalFlip(1.0);
        var once = flip.Apply(image, new RandomStream(1));
        Assert.NotEqual(image.Pixels, once.Pixels);
        for (var y = 0; y < image.Height; y++)
        for (var x = 0; x < image.Width; x++)
        for (var c = 0; c < channels; c++) Assert.Equal(TestImages.At(image, x, y, c), TestImages.At(once, image.Width - 1 - x, y, c));
        Assert.Equal(image.Pixels, flip.Apply(once, new RandomStream(2)).Pixels);
    }

    [Fact]
    public void FlipHappensWithTheGivenProbability()
    {
        var image = TestImages.Coordinates(8, 2, 3);
        var flip = new RandomHorizontalFlip();
        var flipped = Enumerable.Range(0, 4000).Count(i => TestImages.At(flip.Apply(image, new RandomStream(9, (ulong)i)), 0, 0, 0) == 7);
        Assert.InRange(flipped, 1800, 2200);
        Assert.Same(image, new RandomHorizontalFlip(0).Apply(image, new RandomStream(1)));
        Assert.Throws<AlexNetException>(() => new RandomHorizontalFlip(1.5));
    }

    [Theory]
    [InlineData(256, 256, 227, 1)]
    [InlineData(60, 45, 30, 3)]
    [InlineData(31, 40, 30, 3)]
    public void TenCropGivesCornersCentreAndTheirMirrors(int width, int height, int size, int channels)
    {
        var image = channels == 3 ? TestImages.Coordinates(width, height, 3) : TestImages.Noise(width, height, 1, 6);
        var crops = new TenCrop(size).Apply(image);
        Assert.Equal(10, crops.Length);
        var (right, bottom) = (width - size, height - size);
        var expectedOffsets = new[]
        {
            (0, 0), (right, 0), (0, bottom), (right, bottom),
            ((int)Math.Round(right / 2.0, MidpointRounding.ToEven), (int)Math.Round(bottom / 2.0, MidpointRounding.ToEven)),
        };
        for (var k = 0; k < 5; k++)
        {
            AssertRegion(image, crops[k], expectedOffsets[k].Item1, expectedOffsets[k].Item2);
            var mirrored = crops[5 + k];
            Assert.Equal((size, size), (mirrored.Width, mirrored.Height));
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            for (var c = 0; c < channels; c++) Assert.Equal(TestImages.At(crops[k], x, y, c), TestImages.At(mirrored, size - 1 - x, y, c));
        }
    }

    private static void AssertRegion(Image image, Image crop, int left, int top)
    {
        for (var y = 0; y < crop.Height; y++)
        {
            var expected = image.Pixels.AsSpan((top + y) * image.Stride + left * image.Channels, crop.Stride);
            var actual = crop.Pixels.AsSpan(y * crop.Stride, crop.Stride);
            Assert.True(expected.SequenceEqual(actual), $"Row {y} of the crop is not row {top + y} of the image from column {left}.");
        }
    }

    /// <summary>Finds where a crop of a grey coordinate image came from (by brute force; images are small).</summary>
    private static (int Left, int Top) FindOffset(Image image, Image crop)
    {
        for (var top = 0; top <= image.Height - crop.Height; top++)
        for (var left = 0; left <= image.Width - crop.Width; left++)
        {
            var match = true;
            for (var y = 0; y < crop.Height && match; y++)
            {
                match = image.Pixels.AsSpan((top + y) * image.Stride + left, crop.Width).SequenceEqual(crop.Pixels.AsSpan(y * crop.Width, crop.Width));
            }
            if (match) return (left, top);
        }
        throw new InvalidOperationException("The crop is not a region of the image.");
    }
}
