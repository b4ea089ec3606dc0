using AlexNet.Data.Images;

namespace AlexNet.Imaging.Tests;

/// <summary>
/// Every decodable fixture equals PIL 9.4's <c>convert("RGB")</c> / <c>convert("L")</c> pixels exactly, except the
/// 16-bit PNGs whose manifest entry states the rule and a tolerance of 1 (see PngDecoder's remarks).
/// </summary>
public sealed class PilParityTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (ImageEntry e in Fixtures.Manifest.Images)
        {
            data.Add(e.Name, 3);
            data.Add(e.Name, 1);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecodedPixelsEqualPil(string name, int channels)
    {
        ImageEntry entry = Fixtures.Image(name);
        Image image = new NativeImageDecoder().Load(Fixtures.PathOf(name), channels);

        Assert.Equal((entry.Width, entry.Height, channels), (image.Width, image.Height, image.Channels));
        byte[] expected = File.ReadAllBytes(Fixtures.PathOf(channels == 3 ? entry.Rgb : entry.L));
        Assert.Equal(expected.Length, image.Pixels.Length);
        int worst = 0, worstAt = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - image.Pixels[i]);
            if (d > worst) (worst, worstAt) = (d, i);
        }
        Assert.True(worst <= entry.Tolerance,
            $"{name} ({channels} channels): byte {worstAt} differs by {worst} from PIL {Fixtures.Manifest.PilVersion}, " +
            $"tolerance {entry.Tolerance} ({entry.Rule ?? "exact"}).");
    }

    [Fact]
    public void ManifestCoversEveryVariant()
    {
        var modes = Fixtures.Manifest.Images.Select(e => e.PilMode).ToHashSet();
        Assert.Superset(new HashSet<string> { "RGB", "RGBA", "L", "LA", "P", "CMYK", "1", "I" }, modes);
        Assert.Equal("9.4.0", Fixtures.Manifest.PilVersion);
    }

    [Fact]
    public void SixteenBitPngsAreTheOnlyInexactFixtures()
    {
        foreach (ImageEntry e in Fixtures.Manifest.Images.Where(e => e.Tolerance != 0 || e.Rule is not null))
        {
            Assert.Contains("16", e.Name);
            Assert.True(e.Tolerance <= 1, e.Name);
        }
    }
}
