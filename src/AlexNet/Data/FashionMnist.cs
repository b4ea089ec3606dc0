namespace AlexNet.Data;

/// <summary>
/// Fashion-MNIST (Xiao, Rasul and Vollgraf 2017): 60,000 training and 10,000 test images of 28×28 grey
/// pixels in 10 classes, as IDX files. Debian's package dataset-fashion-mnist installs them into
/// <see cref="DefaultDirectory"/>.
/// </summary>
public static class FashionMnist
{
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    public static ImageDataset LoadTrain(string directory = DefaultDirectory) =>
        Load(directory, "train", "train-images-idx3-ubyte", "train-labels-idx1-ubyte");

    public static ImageDataset LoadTest(string directory = DefaultDirectory) =>
        Load(directory, "test", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private static ImageDataset Load(string directory, string split, string imagesName, string labelsName)
    {
        if (!Directory.Exists(directory))
        {
            throw new AlexNetException(
                $"Fashion-MNIST folder '{directory}' does not exist. Install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass the folder that holds the IDX files.");
        }
        var images = IdxFile.Read(FindFile(directory, imagesName));
        var labelsPath = FindFile(directory, labelsName);
        var labels = IdxFile.Read(labelsPath);
        if (images.Dimensions.Length != 3)
        {
            throw new AlexNetException($"Fashion-MNIST images in '{directory}/{imagesName}' should have 3 dimensions (N, 28, 28), found {string.Join("×", images.Dimensions)}.");
        }
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images.Dimensions[0])
        {
            throw new AlexNetException($"'{labelsPath}' holds {string.Join("×", labels.Dimensions)} labels for {images.Dimensions[0]} images.");
        }
        var labelValues = labels.Values.Select(v => (int)v).ToArray();
        var bad = Array.FindIndex(labelValues, v => v >= ClassNames.Count);
        if (bad >= 0) throw new AlexNetException($"'{labelsPath}': label {labelValues[bad]} of image {bad} is not a Fashion-MNIST class (0–9).");
        return new ImageDataset($"fashion-mnist/{split}", images.Values, labelValues, 1, images.Dimensions[1], images.Dimensions[2], ClassNames);
    }

    private static string FindFile(string directory, string name)
    {
        foreach (var candidate in new[] { name + ".gz", name })
        {
            var path = Path.Combine(directory, candidate);
            if (File.Exists(path)) return path;
        }
        throw new AlexNetException($"Fashion-MNIST file '{Path.Combine(directory, name)}[.gz]' is missing.");
    }
}
