using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// An IDX images/labels pair (MNIST, Fashion-MNIST) as a sample source: grey images (N × H × W), loaded with
/// three channels by repeating the grey value. The images are held in memory (an <see cref="ImageDataset"/>).
/// </summary>
public sealed class IdxSource : ISampleSource
{
    private readonly ImageDataset _dataset;
    private readonly string _description;

    /// <param name="dataset">One-channel images.</param>
    /// <param name="description">Where the images come from, for <see cref="Describe"/>.</param>
    public IdxSource(ImageDataset dataset, string description)
    {
        if (dataset.Channels != 1) throw new ArgumentException($"IDX sources hold grey images; '{dataset.Name}' has {dataset.Channels} channels.");
        (_dataset, _description) = (dataset, description);
    }

    /// <summary>The images in memory, for trainers that batch small images without the file loader.</summary>
    public ImageDataset Dataset => _dataset;

    public IReadOnlyList<string> ClassNames => _dataset.ClassNames;

    public int Count => _dataset.Count;

    /// <summary>
    /// Reads the pair. Without <paramref name="classNames"/> the classes are named by their number, "0", "1", …,
    /// at least ten of them (the digits of MNIST) and as many as the largest label needs.
    /// </summary>
    public static IdxSource Open(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var images = IdxFile.Read(imagesPath);
        var labels = IdxFile.Read(labelsPath);
        if (images.Dimensions.Length != 3)
        {
            throw new AlexNetException($"IDX images '{imagesPath}' should have 3 dimensions (N × height × width), found {string.Join("×", images.Dimensions)}.");
        }
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images.Dimensions[0])
        {
            throw new AlexNetException($"IDX labels '{labelsPath}' hold {string.Join("×", labels.Dimensions)} labels for the {images.Dimensions[0]} images of '{imagesPath}'.");
        }
        var values = labels.Values.Select(value => (int)value).ToArray();
        classNames ??= Enumerable.Range(0, Math.Max(10, values.Max() + 1)).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var bad = Enumerable.Range(0, values.Length).Where(i => values[i] >= classNames.Count).ToList();
        if (bad.Count > 0)
        {
            throw new AlexNetException(
                $"IDX labels '{labelsPath}': {bad.Count} label(s) are outside the {classNames.Count} classes, at image(s) " +
                $"{string.Join(", ", bad.Take(Listing.Cap).Select(i => $"{i} ({values[i]})"))}{(bad.Count > Listing.Cap ? $" … and {bad.Count - Listing.Cap} more" : "")}.");
        }
        var dataset = new ImageDataset(imagesPath, images.Values, values, 1, images.Dimensions[1], images.Dimensions[2], classNames);
        return new IdxSource(dataset, imagesPath);
    }

    public int Label(int index) => _dataset.Labels[index];

    public string Describe(int index) => $"{_description} image {index}";

    public Image Load(int index, int channels)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Images have 1 or 3 channels.");
        var grey = _dataset.Image(index);
        var pixels = new byte[grey.Length * channels];
        if (channels == 1)
        {
            grey.CopyTo(pixels);
        }
        else
        {
            for (var p = 0; p < grey.Length; p++) pixels[3 * p] = pixels[3 * p + 1] = pixels[3 * p + 2] = grey[p];
        }
        return new Image(_dataset.Width, _dataset.Height, channels, pixels);
    }
}
