using System.Text;
using AlexNet.Data.Images;
using AlexNet.Imaging;
using AlexNet.Reporting;
using Xunit;

namespace AlexNet.Tests.Reporting;

public sealed class PngEncoderTests
{
    [Fact]
    public void Crc32MatchesTheStandardCheckValue() =>
        // The check value of CRC-32/ISO-HDLC (the PNG and zlib CRC) for "123456789".
        Assert.Equal(0xCBF43926u, Crc32.Compute(Encoding.ASCII.GetBytes("123456789")));

    [Theory]
    [InlineData(1, 7, 5)]
    [InlineData(3, 7, 5)]
    [InlineData(3, 1, 1)]
    [InlineData(1, 113, 64)]
    public void LibpngDecodesTheSamePixels(int channels, int width, int height)
    {
        var pixels = new byte[width * height * channels];
        var random = new Random(width * 31 + height);
        random.NextBytes(pixels);
        var png = PngEncoder.Encode(new Image(width, height, channels, pixels));

        var decoded = new NativeImageDecoder().Decode(png, "encoded.png", channels);
        Assert.Equal((width, height, channels), (decoded.Width, decoded.Height, decoded.Channels));
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void DataUriIsBase64Png()
    {
        var uri = PngEncoder.DataUri(new Image(2, 2, 3, new byte[12]));
        Assert.StartsWith("data:image/png;base64,", uri);
        var bytes = Convert.FromBase64String(uri["data:image/png;base64,".Length..]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }
}
