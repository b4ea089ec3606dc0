using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// Scales the image so that its shorter side becomes <see cref="Size"/> (the paper's "rescaled the image
/// such that the shorter side was of length 256"), keeping the aspect ratio. The longer side is
/// <c>int(size · long / short)</c>, truncated, as torchvision's <c>Resize(int)</c> computes it; resampling
/// is Pillow-exact antialiased bilinear (see <see cref="Resize"/>). Caffe's ImageNet recipe instead
/// squashed every image to 256×256; use <see cref="Resize"/> for that.
/// </summary>
public sealed class ResizeShorterSide : IImageTransform
{
    public ResizeShorterSide(int size)
    {
        if (size <= 0) throw new AlexNetException($"ResizeShorterSide needs a positive size, got {size}.");
        Size = size;
    }

    public int Size { get; }

    public Image Apply(Image image, RandomStream random)
    {
        var (width, height) = OutputSize(image.Width, image.Height, Size);
        return BilinearResampler.Resize(image, width, height);
    }

    /// <summary>The size an image of <paramref name="width"/>×<paramref name="height"/> is resized to.</summary>
    public static (int Width, int Height) OutputSize(int width, int height, int size) =>
        width <= height
            ? (size, (int)(size * (double)height / width))
            : ((int)(size * (double)width / height), size);

    public override string ToString() => $"ResizeShorterSide({Size})";
}
