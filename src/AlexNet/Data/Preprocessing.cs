using AlexNet.Data.Transforms;
using AlexNet.Tensors;

namespace AlexNet.Data;

public enum ChannelOrder
{
    Gray,
    Rgb,
    Bgr,
}

/// <summary>
/// How pixels become network input: x = (pixel / 255 − mean[c]) / std[c], in the given channel order,
/// after scaling the shorter side to <see cref="ResizeShorterSide"/> (0: the input size) and keeping the central
/// square, or with <see cref="ResizeMode.Squash"/> scaling both sides to it, then centre-cropping to the input
/// size. Saved with every checkpoint so that a model is always fed the way it was trained.
/// </summary>
public sealed record Preprocessing(float[] Mean, float[] Std, ChannelOrder ChannelOrder, int InputSize, int ResizeShorterSide = 0,
    ResizeMode Resize = ResizeMode.ShorterSide)
{
    /// <summary>The side of the square the input is cropped from.</summary>
    public int SquareSize => ResizeShorterSide > 0 ? ResizeShorterSide : InputSize;

    /// <summary>The transforms that turn any image into the <see cref="SquareSize"/> square.</summary>
    public IImageTransform[] ToSquare() => Resize == ResizeMode.Squash
        ? [new Transforms.Resize(SquareSize, SquareSize)]
        : [new ResizeShorterSide(SquareSize), new CenterCrop(SquareSize)];

    /// <summary>The transforms of evaluation: the square, then its central input-sized crop.</summary>
    public IImageTransform[] ToCentreCrop() => SquareSize == InputSize ? ToSquare() : [.. ToSquare(), new CenterCrop(InputSize)];

    /// <summary>Fills sample <paramref name="slot"/> of the batch tensor from 8-bit NCHW pixels.</summary>
    public void Apply(ReadOnlySpan<byte> image, Tensor batch, int slot)
    {
        var channels = batch.Shape[1];
        var plane = batch.Shape[2] * batch.Shape[3];
        if (image.Length != channels * plane)
        {
            throw new ArgumentException($"An image of {image.Length} values does not fit input {batch.Shape.WithoutBatch()}.");
        }
        var target = batch.Data.AsSpan(slot * channels * plane, channels * plane);
        for (var c = 0; c < channels; c++)
        {
            var scale = 1f / (255f * Std[c]);
            var offset = -Mean[c] / Std[c];
            var source = image.Slice(c * plane, plane);
            var destination = target.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++) destination[i] = source[i] * scale + offset;
        }
    }

    /// <summary>Normalization with the data set's own per-channel statistics.</summary>
    public static Preprocessing FromStatistics(ImageDataset data)
    {
        var (mean, std) = data.ChannelStatistics();
        return new Preprocessing(mean, std, data.Channels == 1 ? ChannelOrder.Gray : ChannelOrder.Rgb, data.Height);
    }
}
