using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Tensors;

namespace AlexNet.Reporting;

/// <summary>
/// Turns one normalized network input back into a picture: pixel = (x · std[c] + mean[c]) · 255, undoing
/// <see cref="Preprocessing"/> (network channel c is image channel 2 − c for BGR), then shrinks it by a whole
/// factor (box average) so that a 227-pixel crop does not bloat the report.
/// </summary>
public static class Thumbnail
{
    /// <summary>Thumbnails larger than this are averaged down by a whole factor.</summary>
    public const int MaxSide = 128;

    public static Image FromInput(Tensor batch, int slot, Preprocessing preprocessing)
    {
        var (channels, height, width) = (batch.Shape[1], batch.Shape[2], batch.Shape[3]);
        var expected = preprocessing.ChannelOrder == ChannelOrder.Gray ? 1 : 3;
        if (channels != expected || preprocessing.Mean.Length != channels || preprocessing.Std.Length != channels)
        {
            throw new ArgumentException($"A {preprocessing.ChannelOrder} preprocessing with {preprocessing.Mean.Length} means does not fit input {batch.Shape}.");
        }
        var plane = height * width;
        var input = batch.Data.AsSpan(slot * channels * plane, channels * plane);
        var pixels = new byte[channels * plane];
        for (var c = 0; c < channels; c++)
        {
            var target = preprocessing.ChannelOrder == ChannelOrder.Bgr ? 2 - c : c;
            var (std, mean) = (preprocessing.Std[c], preprocessing.Mean[c]);
            var source = input.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                pixels[i * channels + target] = (byte)Math.Clamp(MathF.Round((source[i] * std + mean) * 255f), 0f, 255f);
            }
        }
        return Shrink(new Image(width, height, channels, pixels));
    }

    /// <summary>Averages factor × factor blocks, the smallest whole factor that brings both sides to at most <see cref="MaxSide"/>.</summary>
    public static Image Shrink(Image image)
    {
        var factor = (Math.Max(image.Width, image.Height) + MaxSide - 1) / MaxSide;
        if (factor <= 1) return image;
        var (width, height, channels) = (image.Width / factor, image.Height / factor, image.Channels);
        var pixels = new byte[width * height * channels];
        var area = factor * factor;
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        for (var c = 0; c < channels; c++)
        {
            var sum = 0;
            for (var dy = 0; dy < factor; dy++)
            for (var dx = 0; dx < factor; dx++) sum += image.Pixels[((y * factor + dy) * image.Width + x * factor + dx) * channels + c];
            pixels[(y * width + x) * channels + c] = (byte)((sum + area / 2) / area);
        }
        return new Image(width, height, channels, pixels);
    }
}
