using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>Opens each layout's splits for <see cref="DataSetDetector"/> with one class list per data set.</summary>
internal static class DataSetOpener
{
    public static DataSet ClassFolders(string root, IImageDecoder decoder)
    {
        RequireFolder(root, DataSetLayout.ClassFolders);
        var splits = SplitFolders.Find(root);
        if (!splits.Any)
        {
            var single = ClassFolderSource.Open(root, decoder);
            return new DataSet(root, DataSetLayout.ClassFolders, single.ClassNames, single, null, null);
        }
        var train = splits.Train is null ? null : ClassFolderSource.Open(splits.Train, decoder);
        var others = splits.Present().Where(split => split.Split != DataSplit.Train)
            .Select(split => (split.Split, split.Folder, Classes: ClassFolderSource.ClassFolderNames(split.Folder))).ToList();
        IReadOnlyList<string> classNames;
        if (train is not null)
        {
            classNames = train.ClassNames;
            var known = classNames.ToHashSet(StringComparer.Ordinal);
            var unknown = others.SelectMany(split => split.Classes.Where(name => !known.Contains(name)).Select(name => Path.Combine(split.Folder, name))).ToList();
            if (unknown.Count > 0)
            {
                throw new AlexNetException(
                    $"{unknown.Count} class folder(s) have no counterpart in the training split '{splits.Train}' (all splits share its classes):{Listing.Lines(unknown)}");
            }
        }
        else
        {
            // No training split: the classes are those of all splits together.
            classNames = others.SelectMany(split => split.Classes).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }
        ISampleSource? Other(DataSplit which) =>
            others.Where(split => split.Split == which).Select(split => ClassFolderSource.Open(split.Folder, decoder, classNames)).FirstOrDefault();
        return new DataSet(root, DataSetLayout.ClassFolders, classNames, train, Other(DataSplit.Validation), Other(DataSplit.Test));
    }

    public static DataSet SeedJson(string root, IImageDecoder decoder, string? imageLabelsJson, string? labelIndexJson)
    {
        RequireFolder(root, DataSetLayout.SeedJson);
        var splits = SplitFolders.Find(root);
        if (!splits.Any) throw new AlexNetException($"Seed-layout data set '{root}' has no train/, val/ or test/ folder.");
        if (imageLabelsJson is null || labelIndexJson is null)
        {
            var found = SeedJsonMapFiles.Find(root);
            if (!found.Found) throw new AlexNetException($"Cannot open '{root}' as the SeedJson layout: {found.Problem}.");
            (imageLabelsJson, labelIndexJson) = (found.ImageLabels!, found.LabelIndex!);
        }
        var maps = SeedJsonMaps.Read(imageLabelsJson, labelIndexJson);
        SeedJsonSource? Split(string? folder) => folder is null ? null : SeedJsonSource.Open(folder, maps, decoder);
        return new DataSet(root, DataSetLayout.SeedJson, maps.ClassNames, Split(splits.Train), Split(splits.Validation), Split(splits.Test));
    }

    public static DataSet CsvList(string path, IImageDecoder decoder)
    {
        if (!File.Exists(path)) throw new AlexNetException($"CSV list '{path}' is not a file; the CsvList layout opens a .csv file.");
        var list = CsvListFile.Read(path);
        if (!list.HasSplitColumn)
        {
            var all = CsvListSource.Open(path, decoder);
            return new DataSet(path, DataSetLayout.CsvList, list.ClassNames, all, null, null);
        }
        return new DataSet(path, DataSetLayout.CsvList, list.ClassNames,
            CsvListSource.OpenSplit(list, DataSplit.Train, decoder),
            CsvListSource.OpenSplit(list, DataSplit.Validation, decoder),
            CsvListSource.OpenSplit(list, DataSplit.Test, decoder));
    }

    /// <summary>The optional list of class names in an IDX folder.</summary>
    public const string IdxClassNamesFile = "classes.txt";

    public static DataSet Idx(string root)
    {
        RequireFolder(root, DataSetLayout.Idx);
        var images = IdxImageFiles(root);
        string? Pick(params string[] prefixes)
        {
            var matches = images.Where(file => prefixes.Any(prefix => Path.GetFileName(file).StartsWith(prefix + "-images-idx3-ubyte", StringComparison.Ordinal))).ToList();
            // Prefer the gzipped copy when both exist, as FashionMnist does; they hold the same data.
            return matches.OrderByDescending(file => file.EndsWith(".gz", StringComparison.Ordinal)).FirstOrDefault();
        }
        var trainImages = Pick("train");
        var testImages = Pick("t10k", "test");
        if (trainImages is null)
        {
            throw new AlexNetException(
                $"IDX folder '{root}' has no train-images-idx3-ubyte[.gz]; found {Listing.Inline(images.Select(file => Path.GetFileName(file)!))}.");
        }
        // A classes.txt beside the IDX files names the classes, one per line in label order (a subset of classes
        // relabelled from 0, say); else a folder named for Fashion-MNIST has its names and others are numbered.
        var classesFile = Path.Combine(root, IdxClassNamesFile);
        var classNames = File.Exists(classesFile)
            ? File.ReadAllLines(classesFile).Select(line => line.Trim()).Where(line => line.Length > 0).ToArray()
            : Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)).Contains("fashion", StringComparison.OrdinalIgnoreCase)
                ? FashionMnist.ClassNames
                : null;
        var train = IdxSource.Open(trainImages, LabelsFor(trainImages), classNames);
        var test = testImages is null ? null : IdxSource.Open(testImages, LabelsFor(testImages), train.ClassNames);
        return new DataSet(root, DataSetLayout.Idx, train.ClassNames, train, null, test);
    }

    /// <summary>The <c>*-idx3-ubyte[.gz]</c> files of <paramref name="folder"/>, sorted ordinally.</summary>
    public static IReadOnlyList<string> IdxImageFiles(string folder) =>
        Directory.EnumerateFiles(folder)
            .Where(file => file.EndsWith("-idx3-ubyte", StringComparison.Ordinal) || file.EndsWith("-idx3-ubyte.gz", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToArray();

    private static string LabelsFor(string imagesPath)
    {
        var folder = Path.GetDirectoryName(imagesPath)!;
        var name = Path.GetFileName(imagesPath);
        if (name.EndsWith(".gz", StringComparison.Ordinal)) name = name[..^3];
        var labelsName = name.Replace("-images-idx3-ubyte", "-labels-idx1-ubyte", StringComparison.Ordinal);
        foreach (var candidate in new[] { labelsName + ".gz", labelsName })
        {
            if (File.Exists(Path.Combine(folder, candidate))) return Path.Combine(folder, candidate);
        }
        throw new AlexNetException($"IDX images '{imagesPath}' have no labels file '{Path.Combine(folder, labelsName)}[.gz]'.");
    }

    private static void RequireFolder(string path, DataSetLayout layout)
    {
        if (!Directory.Exists(path)) throw new AlexNetException($"Data set folder '{path}' does not exist (needed for the {layout} layout).");
    }
}
