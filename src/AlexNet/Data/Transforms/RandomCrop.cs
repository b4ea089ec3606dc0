using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// A <see cref="Width"/>×<see cref="Height"/> region at a uniformly random position that keeps it inside
/// the image (the paper's random 227×227 patches of the 256×256 image: 30² = 900 positions). Draws the
/// top offset, then the left one, each uniform over all valid values, as torchvision's
/// <c>RandomCrop.get_params</c>. No padding: an image smaller than the crop is an error.
/// </summary>
public sealed class RandomCrop : IImageTransform
{
    public RandomCrop(int size) : this(size, size) { }

    public RandomCrop(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new AlexNetException($"RandomCrop needs a positive size, got {width}×{height}.");
        (Width, Height) = (width, height);
    }

    public int Width { get; }

    public int Height { get; }

    public Image Apply(Image image, RandomStream random)
    {
        ImageRegions.RequireFits(image, Width, Height, ToString());
        var top = random.NextInt(image.Height - Height + 1);
        var left = random.NextInt(image.Width - Width + 1);
        return ImageRegions.Crop(image, left, top, Width, Height);
    }

    public override string ToString() => $"RandomCrop({Width}×{Height})";
}
