using AlexNet.Data.Images;

namespace AlexNet.Imaging.Tests;

public sealed class BadInputTests
{
    public static TheoryData<string> CorruptFiles()
    {
        var data = new TheoryData<string>();
        foreach (CorruptEntry e in Fixtures.Manifest.Corrupt) data.Add(e.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void CorruptFileThrowsNamingTheFile(string name)
    {
        string path = Fixtures.PathOf(name);
        foreach (int channels in new[] { 1, 3 })
        {
            var e = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Load(path, channels));
            Assert.Contains(path, e.Message);
        }
    }

    [Theory]
    [InlineData("truncated.jpg", "corrupt or truncated")]
    [InlineData("truncated.png", "corrupt or truncated")]
    [InlineData("bad_idat.png", "corrupt or truncated")]
    [InlineData("empty.jpg", "empty (0 bytes)")]
    [InlineData("text.jpg", "not a JPEG or PNG")]
    [InlineData("image.bmp", "not a JPEG or PNG")]
    [InlineData("header_only.jpg", "corrupt or truncated")] // TurboJPEG 2.1 reports 0×0 here rather than failing
    public void CorruptFileMessageGivesTheReason(string name, string reason)
    {
        var e = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Load(Fixtures.PathOf(name), 3));
        Assert.True(e.Message.Contains(reason, StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void TruncatedJpegWarningIsAnError()
    {
        // libjpeg-turbo only warns ("Premature end of JPEG file") and fills the rest with grey.
        var e = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Load(Fixtures.PathOf("truncated.jpg"), 3));
        Assert.Contains("Premature end of JPEG file", e.Message);
        Assert.Contains("warning", e.Message);
    }

    [Theory]
    [InlineData("huge_20000.png")]
    [InlineData("huge_20000.jpg")]
    public void HugeHeaderIsRefusedBeforeDecoding(string name)
    {
        string path = Fixtures.PathOf(name);
        Assert.True(new FileInfo(path).Length < 1000);
        var e = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Load(path, 3));
        Assert.Contains(path, e.Message);
        Assert.Contains("20000×20000", e.Message);
        Assert.Contains("400,000,000", e.Message);
        Assert.Contains("100,000,000", e.Message);
    }

    [Fact]
    public void SmallerLimitRefusesAtTheLimitPlusOne()
    {
        ImageEntry entry = Fixtures.Image("astronaut_420.jpg");
        long pixels = (long)entry.Width * entry.Height;
        Assert.Equal(entry.Width, new NativeImageDecoder(pixels).Load(Fixtures.PathOf(entry.Name), 3).Width);
        var e = Assert.Throws<AlexNetException>(() => new NativeImageDecoder(pixels - 1).Load(Fixtures.PathOf("astronaut_rgb.png"), 3));
        Assert.Contains($"{pixels - 1:N0}", e.Message);
    }

    [Fact]
    public void MissingFileThrowsNamingIt()
    {
        string path = Path.Combine(Fixtures.Directory, "no_such_image.jpg");
        var e = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Load(path, 3));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void DecodeNamesTheSourceGiven()
    {
        var e = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Decode("GIF89a"u8, "zip://train/n01/x.JPEG", 3));
        Assert.Contains("zip://train/n01/x.JPEG", e.Message);
        Assert.Contains("474946383961", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    public void ChannelsOtherThanOneOrThreeAreRejected(int channels) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeImageDecoder().Decode(File.ReadAllBytes(Fixtures.PathOf("pixel_1x1.png")), "x", channels));

    [Fact]
    public void LimitMustBePositiveAndFitAnArray()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeImageDecoder(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NativeImageDecoder(NativeImageDecoder.MaxSupportedPixels + 1));
        Assert.Equal(NativeImageDecoder.DefaultMaxPixels, new NativeImageDecoder().MaxPixels);
    }
}
