using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// Resizes to exactly <see cref="Width"/>×<see cref="Height"/> (aspect ratio not kept) with antialiased
/// bilinear resampling, bit-exact with Pillow 9.4's <c>Image.resize((w, h), Image.BILINEAR)</c>, which is
/// what torchvision's <c>Resize</c> does on PIL images.
/// </summary>
public sealed class Resize : IImageTransform
{
    public Resize(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new AlexNetException($"Resize needs a positive size, got {width}×{height}.");
        (Width, Height) = (width, height);
    }

    public int Width { get; }

    public int Height { get; }

    public Image Apply(Image image, RandomStream random) => BilinearResampler.Resize(image, Width, Height);

    public override string ToString() => $"Resize({Width}×{Height})";
}
