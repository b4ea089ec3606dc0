namespace AlexNet.Data;

/// <summary>
/// Images held in memory as 8-bit pixels in NCHW order, with integer labels and the class names they index.
/// </summary>
public sealed class ImageDataset
{
    public ImageDataset(string name, byte[] pixels, int[] labels, int channels, int height, int width, IReadOnlyList<string> classNames)
    {
        if ((long)labels.Length * channels * height * width != pixels.LongLength)
        {
            throw new AlexNetException($"Data set '{name}': {labels.Length} labels but {pixels.Length} pixel values for {channels}×{height}×{width} images.");
        }
        for (var i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classNames.Count)
            {
                throw new AlexNetException($"Data set '{name}': label {labels[i]} of image {i} is outside the {classNames.Count} classes.");
            }
        }
        (Name, Pixels, Labels, Channels, Height, Width, ClassNames) = (name, pixels, labels, channels, height, width, classNames);
    }

    public string Name { get; }
    public byte[] Pixels { get; }
    public int[] Labels { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public IReadOnlyList<string> ClassNames { get; }

    public int Count => Labels.Length;

    public int ImageLength => Channels * Height * Width;

    public ReadOnlySpan<byte> Image(int index) => Pixels.AsSpan(index * ImageLength, ImageLength);

    /// <summary>A copy holding the given images in the given order.</summary>
    public ImageDataset Subset(IReadOnlyList<int> indices, string name)
    {
        var pixels = new byte[indices.Count * ImageLength];
        var labels = new int[indices.Count];
        for (var i = 0; i < indices.Count; i++)
        {
            Image(indices[i]).CopyTo(pixels.AsSpan(i * ImageLength));
            labels[i] = Labels[indices[i]];
        }
        return new ImageDataset(name, pixels, labels, Channels, Height, Width, ClassNames);
    }

    /// <summary>Per-channel mean and standard deviation of pixel values scaled to [0, 1].</summary>
    public (float[] Mean, float[] Std) ChannelStatistics()
    {
        var sums = new double[Channels];
        var squares = new double[Channels];
        var plane = Height * Width;
        for (var n = 0; n < Count; n++)
        for (var c = 0; c < Channels; c++)
        {
            foreach (var p in Pixels.AsSpan((n * Channels + c) * plane, plane))
            {
                var v = p / 255.0;
                sums[c] += v;
                squares[c] += v * v;
            }
        }
        var total = (double)Count * plane;
        var mean = sums.Select(s => (float)(s / total)).ToArray();
        var std = squares.Select((s, c) => (float)Math.Sqrt(Math.Max(s / total - mean[c] * (double)mean[c], 1e-12))).ToArray();
        return (mean, std);
    }
}
