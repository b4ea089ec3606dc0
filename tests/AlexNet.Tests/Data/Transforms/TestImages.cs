using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Tests.Data.Transforms;

/// <summary>Fabricated images for transform and loader tests.</summary>
public static class TestImages
{
    /// <summary>Uniform random pixels.</summary>
    public static Image Noise(int width, int height, int channels, ulong seed)
    {
        var random = new RandomStream(seed, 0x1AA6E);
        var pixels = new byte[width * height * channels];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (byte)random.NextInt(256);
        return new Image(width, height, channels, pixels);
    }

    /// <summary>Pixel (x, y) holds x, y and a mix of both in its channels (grey: the mix), so a crop shows where it came from.</summary>
    public static Image Coordinates(int width, int height, int channels)
    {
        var pixels = new byte[width * height * channels];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var at = (y * width + x) * channels;
            if (channels == 1)
            {
                pixels[at] = Mix(x, y);
                continue;
            }
            pixels[at] = (byte)x;
            pixels[at + 1] = (byte)y;
            pixels[at + 2] = Mix(x, y);
        }
        return new Image(width, height, channels, pixels);
    }

    public static byte Mix(int x, int y) => (byte)((x * 7 + y * 13) % 256);

    public static byte At(Image image, int x, int y, int c) => image.Pixels[(y * image.Width + x) * image.Channels + c];
}
