using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// Opens a data set from a path, recognizing its layout. Rules, tried in this order:
/// <list type="number">
/// <item>a file ending in <c>.csv</c> (any case) → <see cref="DataSetLayout.CsvList"/>; its split column, if any,
/// gives the splits, else every row is Train;</item>
/// <item>CIFAR-10 or CIFAR-100, binary or python, as a folder of batches, a folder holding the distribution's own
/// folder, or the downloaded <c>.tar.gz</c> → <see cref="DataSetLayout.Cifar10"/> or <see cref="DataSetLayout.Cifar100"/>
/// (see <see cref="CifarData"/>);</item>
/// <item>a folder holding <c>*-idx3-ubyte</c> or <c>*-idx3-ubyte.gz</c> → <see cref="DataSetLayout.Idx"/>
/// (<c>train-images-…</c> is Train, <c>t10k-images-…</c> or <c>test-images-…</c> is Test, labels from the matching
/// <c>…-labels-idx1-ubyte[.gz]</c>; Fashion-MNIST's class names when the folder's name contains "fashion");</item>
/// <item>a folder with split folders <c>train/</c>, <c>val/</c> (or <c>validation/</c>), <c>test/</c>:
///   if label maps were passed, or the first split folder holds image files directly and the root holds two
///   JSON objects (one string → string, one string → number) → <see cref="DataSetLayout.SeedJson"/>;
///   else if a split folder's sub-folders hold images → <see cref="DataSetLayout.ClassFolders"/> with those splits
///   (classes from train/; a class folder of another split missing from train/ is an error);</item>
/// <item>a folder whose sub-folders hold images → <see cref="DataSetLayout.ClassFolders"/> as a single Train split;</item>
/// <item>anything else is an error naming the layouts looked for.</item>
/// </list>
/// "Holds images" means entries ending in .jpg, .jpeg or .png (any case); hidden sub-folders are ignored.
/// A forced layout skips detection and opens the path as that layout, with that layout's errors.
/// </summary>
public static class DataSetDetector
{
    public static DataSet Open(string path, IImageDecoder decoder, DataSetLayout? force = null, string? imageLabelsJson = null, string? labelIndexJson = null,
        CifarLabels cifarLabels = CifarLabels.Fine)
    {
        var full = Path.GetFullPath(path);
        var mapsGiven = imageLabelsJson is not null || labelIndexJson is not null;
        if (mapsGiven && (imageLabelsJson is null || labelIndexJson is null))
        {
            throw new AlexNetException(
                $"The seed layout needs both JSON maps; only the {(imageLabelsJson is null ? "label index map" : "image label map")} " +
                $"'{imageLabelsJson ?? labelIndexJson}' was given.");
        }
        var layout = force ?? Detect(full, mapsGiven);
        if (mapsGiven && layout != DataSetLayout.SeedJson)
        {
            throw new AlexNetException($"JSON label maps apply only to the SeedJson layout, but '{full}' is opened as {layout}.");
        }
        if (cifarLabels == CifarLabels.Coarse && layout != DataSetLayout.Cifar100)
        {
            throw new AlexNetException($"Coarse labels (--labels coarse) are CIFAR-100's, but '{full}' is opened as {layout}.");
        }
        return layout switch
        {
            DataSetLayout.ClassFolders => DataSetOpener.ClassFolders(full, decoder),
            DataSetLayout.SeedJson => DataSetOpener.SeedJson(full, decoder, imageLabelsJson, labelIndexJson),
            DataSetLayout.CsvList => DataSetOpener.CsvList(full, decoder),
            DataSetLayout.Cifar10 or DataSetLayout.Cifar100 => CifarData.Open(full, cifarLabels, layout),
            DataSetLayout.Idx => DataSetOpener.Idx(full),
            _ => throw new ArgumentOutOfRangeException(nameof(force), layout, "Unknown layout."),
        };
    }

    /// <summary>The layout of <paramref name="path"/> by the rules above (reads folder listings and the first bytes of root JSON files only).</summary>
    public static DataSetLayout Detect(string path, bool labelMapsGiven = false)
    {
        if (File.Exists(path))
        {
            if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) return DataSetLayout.CsvList;
            if (CifarData.Detect(path) is { } archive) return archive;
            throw new AlexNetException($"'{path}' is a file but neither a .csv list nor a CIFAR archive (cifar-10-*.tar.gz, cifar-100-*.tar.gz); other data sets are folders. {LookedFor}");
        }
        if (!Directory.Exists(path)) throw new AlexNetException($"Data set '{path}' does not exist.");
        if (CifarData.Detect(path) is { } cifar) return cifar;
        if (DataSetOpener.IdxImageFiles(path).Count > 0) return DataSetLayout.Idx;
        var splits = SplitFolders.Find(path);
        if (splits.Any)
        {
            if (labelMapsGiven) return DataSetLayout.SeedJson;
            var first = splits.Present().First().Folder;
            var flatImages = HasImages(first);
            if (flatImages)
            {
                var maps = SeedJsonMapFiles.Find(path);
                if (maps.Found) return DataSetLayout.SeedJson;
                if (!splits.Present().Any(split => HasClassImages(split.Folder)))
                {
                    throw new AlexNetException($"'{first}' holds images directly, as in the SeedJson layout, but {maps.Problem}.");
                }
            }
            if (splits.Present().Any(split => HasClassImages(split.Folder))) return DataSetLayout.ClassFolders;
            throw new AlexNetException(
                $"The split folders of '{path}' ({string.Join(", ", splits.Present().Select(split => Path.GetFileName(split.Folder) + "/"))}) hold " +
                $"neither class sub-folders with images nor images. {LookedFor}");
        }
        if (labelMapsGiven) throw new AlexNetException($"'{path}' has no train/, val/ or test/ folder for the given JSON label maps.");
        if (HasClassImages(path)) return DataSetLayout.ClassFolders;
        throw new AlexNetException($"Cannot tell the layout of data set '{path}'. {LookedFor}");
    }

    private const string LookedFor =
        "Looked for: a .csv list (path,label[,split], or a header naming the columns); CIFAR-10 or CIFAR-100 batches, binary or python " +
        "(data_batch_1.bin, data_batch_1, train.bin, train + meta) or their .tar.gz; IDX files (*-idx3-ubyte[.gz]); " +
        "split folders train/, val/, test/ holding class sub-folders of images (ClassFolders) or images plus two JSON label maps " +
        "at the root (SeedJson); class sub-folders of .jpg/.jpeg/.png images (ClassFolders, one split). Force a layout to override.";

    private static bool HasImages(string folder) =>
        UserFiles.Run($"list folder '{folder}'", () => Directory.EnumerateFileSystemEntries(folder).Any(ImageFiles.HasImageExtension));

    private static bool HasClassImages(string folder) =>
        ImageFiles.SubFolderNames(folder).Any(name => HasImages(Path.Combine(folder, name)));
}
