using AlexNet.Data.Images;

namespace AlexNet.Data.Transforms;

/// <summary>
/// The paper's per-pixel mean ("subtracting the mean activity over the training set from each pixel"):
/// the average of equally sized training images, planes in image channel order (R, G, B or grey), CHW,
/// values on the 0..1 scale. Serializable with System.Text.Json.
/// </summary>
/// <remarks>
/// The mean is computed on the 256×256 images; <see cref="CenterCrop"/> cuts it to the network input.
/// Caffe instead takes the mean at each random crop's own offset; the mean image is so smooth that the
/// difference is negligible, and a fixed mean keeps the conversion independent of the crop position.
/// </remarks>
public sealed record MeanImage(int Channels, int Height, int Width, float[] Values)
{
    /// <summary>Mean of <paramref name="images"/>, which must all have the same size and channel count.</summary>
    public static MeanImage Compute(IEnumerable<Image> images)
    {
        long[]? sums = null;
        Image? first = null;
        long count = 0;
        foreach (var image in images)
        {
            first ??= image;
            if (image.Width != first.Width || image.Height != first.Height || image.Channels != first.Channels)
            {
                throw new AlexNetException($"A mean image needs images of one size; got {first} and then {image}.");
            }
            sums ??= new long[image.Pixels.Length];
            for (var i = 0; i < sums.Length; i++) sums[i] += image.Pixels[i];
            count++;
        }
        if (first is null || sums is null) throw new AlexNetException("A mean image needs at least one image.");
        var (channels, plane) = (first.Channels, first.Width * first.Height);
        var values = new float[sums.Length];
        for (var p = 0; p < plane; p++)
        for (var c = 0; c < channels; c++) values[c * plane + p] = (float)(sums[p * channels + c] / (255.0 * count));
        return new MeanImage(channels, first.Height, first.Width, values);
    }

    /// <summary>The central <paramref name="size"/>×<paramref name="size"/> part (offsets as <see cref="Transforms.CenterCrop"/>).</summary>
    public MeanImage CenterCrop(int size)
    {
        if (size > Width || size > Height) throw new AlexNetException($"Cannot cut a {size}×{size} mean from a {Width}×{Height} mean image.");
        var (left, top) = (ImageRegions.CenterOffset(Width, size), ImageRegions.CenterOffset(Height, size));
        var values = new float[Channels * size * size];
        for (var c = 0; c < Channels; c++)
        for (var y = 0; y < size; y++)
        {
            Values.AsSpan(c * Width * Height + (top + y) * Width + left, size).CopyTo(values.AsSpan((c * size + y) * size, size));
        }
        return new MeanImage(Channels, size, size, values);
    }
}
