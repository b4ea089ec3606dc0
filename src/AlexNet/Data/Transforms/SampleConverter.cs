using AlexNet.Data.Images;
using AlexNet.Tensors;

namespace AlexNet.Data.Transforms;

/// <summary>
/// The last step of every pipeline: an 8-bit HWC image becomes normalized float CHW in one slot of a batch
/// tensor (N, C, H, W):  x[c] = (pixel[src(c)] / 255 + lighting[src(c)] − mean[c]) / std[c],
/// where src(c) is c for RGB and grey and 2 − c for BGR (Caffe's order), and mean[c] is either a
/// per-channel constant or, for the paper's per-pixel mean, the <see cref="MeanImage"/> value at (y, x).
/// </summary>
/// <remarks>
/// Units: pixels, lighting, mean and mean image are on the 0..1 scale. <see cref="Mean"/> and
/// <see cref="Std"/> are listed in network (output) channel order, as Caffe lists (B, G, R); the
/// <see cref="MeanImage"/> and the lighting shift are in image (R, G, B) order. Caffe's bvlc_alexnet,
/// which feeds raw 0..255 values minus (104.007, 116.669, 122.679), is mean = those / 255 with
/// std = 1/255 and <see cref="ChannelOrder.Bgr"/>.
/// </remarks>
public sealed class SampleConverter
{
    private SampleConverter(int inputSize, ChannelOrder order, float[] mean, float[] std, MeanImage? meanImage)
    {
        var channels = order == ChannelOrder.Gray ? 1 : 3;
        if (inputSize <= 0) throw new AlexNetException($"The input size must be positive, got {inputSize}.");
        if (mean.Length != channels) throw new AlexNetException($"{order} input needs {channels} mean values, got {mean.Length}.");
        if (std.Length != channels) throw new AlexNetException($"{order} input needs {channels} std values, got {std.Length}.");
        foreach (var s in std)
        {
            if (!(s > 0) || float.IsInfinity(s)) throw new AlexNetException($"Standard deviations must be positive and finite, got {s}.");
        }
        if (meanImage is not null
            && (meanImage.Channels != channels || meanImage.Width != inputSize || meanImage.Height != inputSize
                || meanImage.Values.Length != channels * inputSize * inputSize))
        {
            throw new AlexNetException(
                $"The mean image ({meanImage.Width}×{meanImage.Height}×{meanImage.Channels}, {meanImage.Values.Length} values) does not match the {inputSize}×{inputSize}×{channels} input; crop it with MeanImage.CenterCrop.");
        }
        (InputSize, ChannelOrder, Mean, Std, MeanImage) = (inputSize, order, (float[])mean.Clone(), (float[])std.Clone(), meanImage);
    }

    public int InputSize { get; }

    public ChannelOrder ChannelOrder { get; }

    public int Channels => ChannelOrder == ChannelOrder.Gray ? 1 : 3;

    /// <summary>Per-channel mean in network channel order (zeros when a mean image is used).</summary>
    public IReadOnlyList<float> Mean { get; }

    /// <summary>Per-channel standard deviation in network channel order.</summary>
    public IReadOnlyList<float> Std { get; }

    /// <summary>The per-pixel mean subtracted instead of <see cref="Mean"/>, if any.</summary>
    public MeanImage? MeanImage { get; }

    /// <summary>Per-channel normalization (torchvision's, or Caffe's per-channel BGR mean).</summary>
    public static SampleConverter PerChannel(int inputSize, ChannelOrder order, float[] mean, float[] std) =>
        new(inputSize, order, mean, std, null);

    /// <summary>The paper's per-pixel mean subtraction, then division by <paramref name="std"/>.</summary>
    public static SampleConverter PerPixel(int inputSize, ChannelOrder order, MeanImage meanImage, float[] std) =>
        new(inputSize, order, new float[order == ChannelOrder.Gray ? 1 : 3], std, meanImage);

    /// <summary>The conversion a checkpoint's <see cref="Preprocessing"/> describes.</summary>
    public static SampleConverter From(Preprocessing preprocessing) =>
        PerChannel(preprocessing.InputSize, preprocessing.ChannelOrder, preprocessing.Mean, preprocessing.Std);

    /// <summary>The checkpoint record of a per-channel conversion (a mean image is not representable there).</summary>
    public Preprocessing ToPreprocessing()
    {
        if (MeanImage is not null) throw new AlexNetException("A per-pixel mean cannot be stored in the per-channel preprocessing record.");
        return new Preprocessing(Mean.ToArray(), Std.ToArray(), ChannelOrder, InputSize);
    }

    /// <summary>
    /// Writes <paramref name="image"/> into sample <paramref name="slot"/> of <paramref name="batch"/>.
    /// <paramref name="lighting"/> is the shift of <see cref="PcaLighting.Draw"/> in image channel order,
    /// or empty for none.
    /// </summary>
    public void Write(Image image, Tensor batch, int slot, ReadOnlySpan<float> lighting = default)
    {
        var channels = Channels;
        if (image.Channels != channels || image.Width != InputSize || image.Height != InputSize)
        {
            throw new AlexNetException(
                $"The network takes {InputSize}×{InputSize}×{channels} images ({ChannelOrder}), but the transforms produced {image}.");
        }
        if (batch.Shape.Rank != 4 || batch.Shape[1] != channels || batch.Shape[2] != InputSize || batch.Shape[3] != InputSize)
        {
            throw new ArgumentException($"Batch {batch.Shape} does not hold {channels}×{InputSize}×{InputSize} samples.", nameof(batch));
        }
        if ((uint)slot >= (uint)batch.Shape[0]) throw new ArgumentOutOfRangeException(nameof(slot), $"Slot {slot} is outside batch {batch.Shape}.");
        if (!lighting.IsEmpty && lighting.Length != channels)
        {
            throw new AlexNetException($"The PCA lighting has {lighting.Length} channels, the images {channels}.");
        }
        var plane = InputSize * InputSize;
        var target = batch.Data.AsSpan(slot * channels * plane, channels * plane);
        var pixels = image.Pixels;
        for (var c = 0; c < channels; c++)
        {
            var source = ChannelOrder == ChannelOrder.Bgr ? 2 - c : c;
            var shift = lighting.IsEmpty ? 0f : lighting[source];
            var inverseStd = 1f / Std[c];
            var destination = target.Slice(c * plane, plane);
            if (MeanImage is { } meanImage)
            {
                var mean = meanImage.Values.AsSpan(source * plane, plane);
                for (var i = 0; i < plane; i++) destination[i] = (pixels[i * channels + source] / 255f + shift - mean[i]) * inverseStd;
            }
            else
            {
                var offset = shift - Mean[c];
                for (var i = 0; i < plane; i++) destination[i] = (pixels[i * channels + source] / 255f + offset) * inverseStd;
            }
        }
    }
}
