namespace AlexNet.Data.Sources;

/// <summary>
/// Opens CIFAR-10 or CIFAR-100 in any of the forms <see cref="CifarVersion"/> lists: a folder holding the batches, a
/// folder holding the unpacked distribution's own folder (<c>cifar-10-batches-py/</c> …), or the downloaded
/// <c>.tar.gz</c> itself. Train is every training batch (all must be present), Test the test batch when there is
/// one. CIFAR-100 uses its fine labels unless <see cref="CifarLabels.Coarse"/> is asked for.
/// </summary>
public static class CifarData
{
    /// <summary>The layout of a CIFAR folder or archive, or null when <paramref name="path"/> holds none (cheap: names only, archives by name).</summary>
    public static DataSetLayout? Detect(string path)
    {
        if (File.Exists(path)) return CifarArchive.IsArchiveName(path) ? ArchiveLayout(path) : null;
        if (!Directory.Exists(path)) return null;
        var folder = DistributionFolder(path);
        return CifarVersion.Detect(name => File.Exists(Path.Combine(folder, name)))?.Layout;
    }

    public static DataSet Open(string path, CifarLabels labels = CifarLabels.Fine, DataSetLayout? expected = null)
    {
        ICifarFiles files = File.Exists(path) ? CifarArchive.Read(path)
            : Directory.Exists(path) ? new CifarFolder(DistributionFolder(path))
            : throw new AlexNetException($"CIFAR data set '{path}' does not exist.");
        var version = CifarVersion.Detect(files.Has) ?? throw new AlexNetException(
            $"'{files.Location}' holds no CIFAR data set: looked for {string.Join("; ", CifarVersion.All.Select(v => $"{v.Name} ({v.TrainNames[0]})"))}.");
        if (expected is not null && expected != version.Layout)
        {
            throw new AlexNetException($"'{files.Location}' holds {version.Name}, not the {expected} layout that was asked for.");
        }
        if (labels == CifarLabels.Coarse && !version.Hundred)
        {
            throw new AlexNetException($"'{files.Location}' holds {version.Name}, which has one label per image: coarse labels are CIFAR-100's.");
        }
        var missing = version.TrainNames.Where(name => !files.Has(name)).Select(files.Describe).ToList();
        if (missing.Count > 0) throw new AlexNetException($"{version.Name} data set '{files.Location}' lacks training batch(es) {Listing.Inline(missing)}.");

        var (classNames, namesFile) = ClassNames(files, version, labels);
        var problems = new List<string>();
        var train = version.TrainNames.Select(name => Batch(files, name, version, labels, problems)).ToList();
        var test = files.Has(version.TestName) ? Batch(files, version.TestName, version, labels, problems) : null;
        foreach (var batch in test is null ? train : train.Append(test)) CheckLabels(batch, classNames.Count, namesFile, problems);
        if (problems.Count > 0) throw new AlexNetException($"Bad {version.Name} batch file(s) in '{files.Location}':{Listing.Lines(problems)}");
        return new DataSet(path, version.Layout, classNames, new CifarSource(train, classNames), null,
            test is null ? null : new CifarSource([test], classNames));
    }

    /// <summary>The folder itself, or the one distribution folder (cifar-10-batches-py/ …) it holds.</summary>
    private static string DistributionFolder(string folder)
    {
        if (CifarVersion.Detect(name => File.Exists(Path.Combine(folder, name))) is not null) return folder;
        var inner = CifarVersion.All.Select(version => Path.Combine(folder, version.FolderName)).Where(Directory.Exists).ToList();
        return inner.Count == 1 ? inner[0] : folder;
    }

    /// <summary>Archives are told by name (cifar-10-python.tar.gz …), so detection need not read 160 MB; the reader then checks the content.</summary>
    private static DataSetLayout? ArchiveLayout(string path)
    {
        var name = Path.GetFileName(path).ToLowerInvariant();
        return name.StartsWith("cifar-100", StringComparison.Ordinal) ? DataSetLayout.Cifar100
            : name.StartsWith("cifar-10", StringComparison.Ordinal) ? DataSetLayout.Cifar10
            : null;
    }

    private static CifarBatch Batch(ICifarFiles files, string name, CifarVersion version, CifarLabels labels, List<string> problems)
    {
        var source = files.Describe(name);
        var bytes = files.Take(name);
        return version.Python
            ? CifarPythonBatch.Read(bytes, source, version.Hundred, labels, problems)
            : CifarBinaryBatch.Read(bytes, source, version.Hundred, labels, problems);
    }

    /// <summary>The class names and the file they come from (null for CIFAR-10's standard names).</summary>
    private static (IReadOnlyList<string> Names, string? File) ClassNames(ICifarFiles files, CifarVersion version, CifarLabels labels)
    {
        var coarse = labels == CifarLabels.Coarse;
        var file = version.MetaNames[version.Python || !coarse ? 0 : 1];
        if (!files.Has(file))
        {
            if (!version.Hundred) return (CifarSource.StandardClassNames, null);
            throw new AlexNetException($"{version.Name} data set '{files.Location}' lacks its class names file '{files.Describe(file)}'.");
        }
        var source = files.Describe(file);
        if (!version.Python) return (CifarBinaryBatch.ReadNames(files.Take(file), source), source);
        var key = !version.Hundred ? "label_names" : coarse ? "coarse_label_names" : "fine_label_names";
        return (CifarPythonBatch.ReadNames(files.Take(file), source, key), source);
    }

    private static void CheckLabels(CifarBatch batch, int classes, string? namesFile, List<string> problems)
    {
        var bad = Enumerable.Range(0, batch.Count).Where(r => batch.Labels[r] >= classes).ToList();
        if (bad.Count == 0) return;
        var named = namesFile is null ? "" : $" named in '{namesFile}'";
        problems.Add($"'{batch.Source}' has labels outside the {classes} classes{named} in record(s) " +
            $"{string.Join(", ", bad.Take(Listing.Cap))}{(bad.Count > Listing.Cap ? $" … and {bad.Count - Listing.Cap} more" : "")}");
    }
}
