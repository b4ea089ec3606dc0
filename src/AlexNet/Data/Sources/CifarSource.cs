using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// CIFAR-10 or CIFAR-100 images (Krizhevsky 2009) as a sample source: batches read by <see cref="CifarData"/> from
/// the binary or the python version, in a folder or straight from the downloaded archive. Everything is in memory
/// (50,000 training images ≈ 154 MB), so <see cref="Load"/> is a copy with no I/O.
/// </summary>
public sealed class CifarSource : ISampleSource
{
    public const int Side = 32;

    private readonly CifarBatch[] _batches;
    private readonly int[] _starts; // first sample index of each batch, then Count

    public CifarSource(IReadOnlyList<CifarBatch> batches, IReadOnlyList<string> classNames)
    {
        _batches = batches.Where(batch => batch.Count > 0).ToArray();
        ClassNames = classNames;
        _starts = new int[_batches.Length + 1];
        for (var b = 0; b < _batches.Length; b++) _starts[b + 1] = _starts[b] + _batches[b].Count;
    }

    /// <summary>The class names of the CIFAR-10 distribution's batches.meta.txt.</summary>
    public static IReadOnlyList<string> StandardClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    public IReadOnlyList<string> ClassNames { get; }

    public int Count => _starts[^1];

    public int Label(int index)
    {
        var (batch, record) = Locate(index);
        return _batches[batch].Labels[record];
    }

    public string Describe(int index)
    {
        var (batch, record) = Locate(index);
        return $"{_batches[batch].Source} record {record}";
    }

    /// <summary>
    /// The 32×32 image in HWC order. One channel is ITU-R 601-2 luma as PIL's <c>convert("L")</c> computes it:
    /// L = R·299/1000 + G·587/1000 + B·114/1000, in PIL's 16-bit fixed point with rounding
    /// (<c>(R·19595 + G·38470 + B·7471 + 0x8000) &gt;&gt; 16</c>), so the result matches PIL exactly.
    /// </summary>
    public Image Load(int index, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        var (batch, record) = Locate(index);
        const int plane = Side * Side;
        var source = _batches[batch].Image(record);
        var pixels = new byte[plane * channels];
        for (var p = 0; p < plane; p++)
        {
            int r = source[p], g = source[plane + p], b = source[2 * plane + p];
            if (channels == 3)
            {
                pixels[3 * p] = (byte)r;
                pixels[3 * p + 1] = (byte)g;
                pixels[3 * p + 2] = (byte)b;
            }
            else
            {
                pixels[p] = (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);
            }
        }
        return new Image(Side, Side, channels, pixels);
    }

    private (int Batch, int Record) Locate(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The source has {Count} samples.");
        var batch = Array.BinarySearch(_starts, index);
        batch = batch >= 0 ? batch : ~batch - 1;
        // Empty batches were left out, so starts are strictly increasing.
        return (batch, index - _starts[batch]);
    }
}
