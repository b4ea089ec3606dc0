using AlexNet.Data.Images;

namespace AlexNet.Data.Transforms;

/// <summary>
/// The paper's test-time ten patches: the four corner crops and the centre crop, then the same five
/// mirrored. Order (torchvision's <c>TenCrop</c> order for the first five):
/// 0 top-left, 1 top-right, 2 bottom-left, 3 bottom-right, 4 centre, and 5 + k = horizontal flip of crop k.
/// </summary>
/// <remarks>
/// torchvision builds the last five by cropping the mirrored image, so its crop 5 is the mirror of the
/// top-right crop (not the top-left) and its mirrored centre may sit one pixel off when W − w is odd.
/// The ten regions are otherwise the same set, which is what matters for the averaged softmax; here
/// crop 5 + k is exactly the mirror of crop k, which is simpler to check and to reason about.
/// </remarks>
public sealed class TenCrop
{
    public TenCrop(int size) : this(size, size) { }

    public TenCrop(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new AlexNetException($"TenCrop needs a positive size, got {width}×{height}.");
        (Width, Height) = (width, height);
    }

    public int Width { get; }

    public int Height { get; }

    public Image[] Apply(Image image)
    {
        ImageRegions.RequireFits(image, Width, Height, ToString());
        var right = image.Width - Width;
        var bottom = image.Height - Height;
        var crops = new Image[10];
        crops[0] = ImageRegions.Crop(image, 0, 0, Width, Height);
        crops[1] = ImageRegions.Crop(image, right, 0, Width, Height);
        crops[2] = ImageRegions.Crop(image, 0, bottom, Width, Height);
        crops[3] = ImageRegions.Crop(image, right, bottom, Width, Height);
        crops[4] = ImageRegions.Crop(image, ImageRegions.CenterOffset(image.Width, Width), ImageRegions.CenterOffset(image.Height, Height), Width, Height);
        for (var k = 0; k < 5; k++) crops[5 + k] = ImageRegions.FlipHorizontal(crops[k]);
        return crops;
    }

    public override string ToString() => $"TenCrop({Width}×{Height})";
}
