using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// The central <see cref="Width"/>×<see cref="Height"/> region; offsets round((W − w) / 2) with ties to
/// even, as torchvision. An image smaller than the crop is an error (torchvision would zero-pad).
/// </summary>
public sealed class CenterCrop : IImageTransform
{
    public CenterCrop(int size) : this(size, size) { }

    public CenterCrop(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new AlexNetException($"CenterCrop needs a positive size, got {width}×{height}.");
        (Width, Height) = (width, height);
    }

    public int Width { get; }

    public int Height { get; }

    public Image Apply(Image image, RandomStream random)
    {
        ImageRegions.RequireFits(image, Width, Height, ToString());
        if (image.Width == Width && image.Height == Height) return image;
        return ImageRegions.Crop(image, ImageRegions.CenterOffset(image.Width, Width), ImageRegions.CenterOffset(image.Height, Height), Width, Height);
    }

    public override string ToString() => $"CenterCrop({Width}×{Height})";
}
