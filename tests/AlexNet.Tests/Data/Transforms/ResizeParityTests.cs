using System.Text.Json;
using AlexNet.Data.Images;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.Tests.Data.Transforms;

/// <summary>
/// Resize against Pillow 9.4's Image.resize(size, BILINEAR) on real photos (skimage.data), fixtures from
/// tests/make_transform_fixtures.py. Required: |ours − PIL| ≤ 1 per value; the implementation aims at
/// (and reports) exact equality.
/// </summary>
public sealed class ResizeParityTests(ITestOutputHelper output)
{
    private const int MaxAllowedDifference = 1;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Transforms");

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var input in Manifest().RootElement.GetProperty("inputs").EnumerateArray())
        {
            var outputs = input.GetProperty("outputs").GetArrayLength();
            for (var i = 0; i < outputs; i++) data.Add(input.GetProperty("name").GetString()!, i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPillowBilinear(string name, int caseIndex)
    {
        var input = Manifest().RootElement.GetProperty("inputs").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var image = Load(input);
        var expectedCase = input.GetProperty("outputs")[caseIndex];
        var (width, height) = (expectedCase.GetProperty("width").GetInt32(), expectedCase.GetProperty("height").GetInt32());
        var expected = File.ReadAllBytes(Path.Combine(Folder, expectedCase.GetProperty("file").GetString()!));

        IImageTransform transform = expectedCase.GetProperty("kind").GetString() == "shorter_side"
            ? new ResizeShorterSide(expectedCase.GetProperty("size").GetInt32())
            : new Resize(width, height);
        var actual = transform.Apply(image, new RandomStream(0));

        Assert.Equal((width, height, image.Channels), (actual.Width, actual.Height, actual.Channels));
        var maxDifference = 0;
        var differing = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var difference = Math.Abs(expected[i] - actual.Pixels[i]);
            maxDifference = Math.Max(maxDifference, difference);
            if (difference != 0) differing++;
        }
        output.WriteLine($"{name} {image.Width}×{image.Height}×{image.Channels} → {width}×{height}: max |diff| {maxDifference}, {differing} of {expected.Length} values differ");
        Assert.True(maxDifference <= MaxAllowedDifference, $"{name} → {width}×{height}: max |diff| {maxDifference} > {MaxAllowedDifference} ({differing} values differ).");
    }

    [Fact]
    public void FixturesCoverDownscalingUpscalingGreyAndTinyInputs()
    {
        var inputs = Manifest().RootElement.GetProperty("inputs").EnumerateArray().ToArray();
        Assert.Contains(inputs, i => i.GetProperty("channels").GetInt32() == 1);
        Assert.Contains(inputs, i => i.GetProperty("width").GetInt32() < 10);
        Assert.Contains(inputs, i => i.GetProperty("outputs").EnumerateArray().Any(o => o.GetProperty("kind").GetString() == "shorter_side"
            && o.GetProperty("width").GetInt32() < i.GetProperty("width").GetInt32()));
    }

    [Fact]
    public void SameSizeIsACopy()
    {
        var image = TestImages.Noise(13, 7, 3, 1);
        var resized = new Resize(13, 7).Apply(image, new RandomStream(0));
        Assert.NotSame(image.Pixels, resized.Pixels);
        Assert.Equal(image.Pixels, resized.Pixels);
    }

    [Fact]
    public void ConstantImageStaysConstant()
    {
        var pixels = Enumerable.Repeat((byte)173, 31 * 17).ToArray();
        var image = new Image(31, 17, 1, pixels);
        foreach (var (w, h) in new[] { (5, 3), (64, 40), (31, 90), (7, 17) })
        {
            var resized = new Resize(w, h).Apply(image, new RandomStream(0));
            Assert.All(resized.Pixels, p => Assert.Equal(173, p));
        }
    }

    [Theory]
    [InlineData(500, 375, 341, 256)]
    [InlineData(375, 500, 256, 341)]
    [InlineData(256, 256, 256, 256)]
    [InlineData(5, 7, 256, 358)]
    public void ShorterSideSizeFollowsTorchvision(int width, int height, int expectedWidth, int expectedHeight) =>
        Assert.Equal((expectedWidth, expectedHeight), ResizeShorterSide.OutputSize(width, height, 256));

    [Fact]
    public void BadSizesNameThemselves()
    {
        var error = Assert.Throws<AlexNetException>(() => new Resize(0, 5));
        Assert.Contains("0×5", error.Message);
        Assert.Contains("-3", Assert.Throws<AlexNetException>(() => new ResizeShorterSide(-3)).Message);
    }

    private static JsonDocument Manifest() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "resize_manifest.json")));

    private static Image Load(JsonElement input) => new(
        input.GetProperty("width").GetInt32(),
        input.GetProperty("height").GetInt32(),
        input.GetProperty("channels").GetInt32(),
        File.ReadAllBytes(Path.Combine(Folder, input.GetProperty("file").GetString()!)));
}
