using AlexNet.Data.Images;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;
using Xunit;

namespace AlexNet.Tests.Data.Transforms;

/// <summary>The image-generator augmentation: its option syntax, its geometry and its draws.</summary>
public sealed class AugmentTests
{
    [Theory]
    [InlineData("rotate=2,zoom=0.1,flip", 2, 0.1, 0, true)]
    [InlineData(" flip , shift=0.125 ", 0, 0, 0.125, true)]
    [InlineData("rotate=15", 15, 0, 0, false)]
    [InlineData("none", 0, 0, 0, false)]
    public void ParsesTheKerasStyleList(string text, double rotate, double zoom, double shift, bool flip)
    {
        var options = AugmentOptions.Parse(text);
        Assert.Equal(new AugmentOptions(rotate, zoom, shift, flip), options);
        Assert.Equal(options, AugmentOptions.Parse(options.ToString()));
    }

    [Theory]
    [InlineData("rotate=2,zom=0.1", "'zom=0.1'")]
    [InlineData("zoom=1.5", "zoom must be in [0, 1)")]
    [InlineData("rotate=x", "rotate needs a number")]
    [InlineData("flip=1", "'flip=1'")]
    public void BadListsNameTheOptionAndThePart(string text, string expected)
    {
        var error = Assert.Throws<AlexNetException>(() => AugmentOptions.Parse(text));
        Assert.Contains("--augment", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void NoRotationZoomOrShiftLeavesTheImageAndStillDrawsFiveNumbers()
    {
        var image = TestImages.Noise(9, 7, 3, 1);
        var random = new RandomStream(3);
        Assert.Same(image, new RandomAffine(new AugmentOptions(Flip: true)).Apply(image, random));
        var reference = new RandomStream(3);
        for (var i = 0; i < 5; i++) reference.NextDouble();
        Assert.Equal(reference.NextUInt64(), random.NextUInt64());
    }

    [Fact]
    public void HalfATurnMirrorsBothAxesExactly()
    {
        var image = TestImages.Noise(9, 6, 3, 2);
        var turned = RandomAffine.Transform(image, Math.PI, 1, 1, 0, 0);
        for (var y = 0; y < 6; y++)
        for (var x = 0; x < 9; x++)
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(TestImages.At(image, 8 - x, 5 - y, c), TestImages.At(turned, x, y, c));
        }
    }

    [Fact]
    public void AShiftMovesTheImageAndRepeatsTheEdge()
    {
        var image = TestImages.Coordinates(8, 5, 3);
        var shifted = RandomAffine.Transform(image, 0, 1, 1, tx: 2, ty: 0);
        for (var y = 0; y < 5; y++)
        for (var x = 0; x < 8; x++)
        {
            Assert.Equal(Math.Min(x + 2, 7), TestImages.At(shifted, x, y, 0));
            Assert.Equal(y, TestImages.At(shifted, x, y, 1));
        }
    }

    [Fact]
    public void ZoomAboveOneShowsMoreOfTheImage()
    {
        // Pixel values are their column; zooming by 2 around the centre samples columns 2·(x − 3.5) + 3.5, clamped.
        var image = new Image(8, 1, 1, [0, 10, 20, 30, 40, 50, 60, 70]);
        var zoomed = RandomAffine.Transform(image, 0, 2, 1, 0, 0);
        Assert.Equal(new byte[] { 0, 0, 5, 25, 45, 65, 70, 70 }, zoomed.Pixels);
    }

    [Fact]
    public void DrawsStayInTheirRangesAndDependOnlyOnTheStream()
    {
        var image = TestImages.Coordinates(32, 32, 3);
        var affine = new RandomAffine(new AugmentOptions(RotateDegrees: 2, Zoom: 0.1));
        var results = new HashSet<string>();
        for (var index = 0; index < 50; index++)
        {
            var once = affine.Apply(image, new RandomStream(1, 4, (ulong)index));
            var again = affine.Apply(image, new RandomStream(1, 4, (ulong)index));
            Assert.Equal(once.Pixels, again.Pixels);
            results.Add(Convert.ToBase64String(once.Pixels));
            // ±2° and ±10 % around the centre move the centre pixel by less than a pixel, the corners by at most ~3.
            Assert.InRange(TestImages.At(once, 16, 16, 0), 15, 17);
            Assert.InRange(TestImages.At(once, 0, 0, 0), 0, 3);
        }
        Assert.True(results.Count > 45, "different samples should draw different transforms");
    }
}
