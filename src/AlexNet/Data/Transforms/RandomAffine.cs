using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// The geometric part of <see cref="AugmentOptions"/>: each output pixel (x, y) samples the input at
///   (u, v) = c + R(θ)·(zx·(x − cx), zy·(y − cy)) + (tx, ty),   c = ((W − 1) / 2, (H − 1) / 2)
/// with θ uniform in ±rotation, zx and zy uniform in [1 − zoom, 1 + zoom] (above 1 shows more of the image, smaller),
/// tx and ty uniform in ±shift·W and ±shift·H, bilinearly, coordinates clamped to the image (edge pixels repeated, as
/// Keras's fill_mode 'nearest'). Keras's ImageDataGenerator composes the same rotation, shift and zoom. Always draws
/// five numbers (θ, tx, ty, zx, zy), so the draws after it do not depend on the settings.
/// </summary>
public sealed class RandomAffine : IImageTransform
{
    public RandomAffine(AugmentOptions options) => Options = options.Validate();

    public AugmentOptions Options { get; }

    public Image Apply(Image image, RandomStream random)
    {
        var theta = (random.NextDouble() * 2 - 1) * Options.RotateDegrees * Math.PI / 180;
        var tx = (random.NextDouble() * 2 - 1) * Options.Shift * image.Width;
        var ty = (random.NextDouble() * 2 - 1) * Options.Shift * image.Height;
        var zx = 1 + (random.NextDouble() * 2 - 1) * Options.Zoom;
        var zy = 1 + (random.NextDouble() * 2 - 1) * Options.Zoom;
        return Options.HasAffine ? Transform(image, theta, zx, zy, tx, ty) : image;
    }

    /// <summary>The transform for given draws (public for tests).</summary>
    public static Image Transform(Image image, double theta, double zx, double zy, double tx, double ty)
    {
        var (width, height, channels) = (image.Width, image.Height, image.Channels);
        var (cx, cy) = ((width - 1) / 2.0, (height - 1) / 2.0);
        var (cos, sin) = (Math.Cos(theta), Math.Sin(theta));
        var source = image.Pixels;
        var pixels = new byte[source.Length];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
        {
            var (dx, dy) = (zx * (x - cx), zy * (y - cy));
            var u = Math.Clamp(cx + cos * dx - sin * dy + tx, 0, width - 1);
            var v = Math.Clamp(cy + sin * dx + cos * dy + ty, 0, height - 1);
            var (x0, y0) = ((int)u, (int)v);
            var (x1, y1) = (Math.Min(x0 + 1, width - 1), Math.Min(y0 + 1, height - 1));
            var (fx, fy) = (u - x0, v - y0);
            for (var c = 0; c < channels; c++)
            {
                var top = source[(y0 * width + x0) * channels + c] * (1 - fx) + source[(y0 * width + x1) * channels + c] * fx;
                var bottom = source[(y1 * width + x0) * channels + c] * (1 - fx) + source[(y1 * width + x1) * channels + c] * fx;
                pixels[(y * width + x) * channels + c] = (byte)Math.Clamp(Math.Round(top * (1 - fy) + bottom * fy), 0, 255);
            }
        }
        return new Image(width, height, channels, pixels);
    }

    public override string ToString() => $"RandomAffine({Options})";
}
