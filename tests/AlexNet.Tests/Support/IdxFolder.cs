using AlexNet.Data;
using AlexNet.Data.Sources;

namespace AlexNet.Tests.Support;

/// <summary>Writes grey image sets as an IDX data set folder (train and t10k files) with a classes.txt.</summary>
public static class IdxFolder
{
    public static string Write(string folder, ImageDataset train, ImageDataset? test, IReadOnlyList<string> classNames)
    {
        Directory.CreateDirectory(folder);
        foreach (var (prefix, data) in new[] { ("train", train), ("t10k", test) })
        {
            if (data is null) continue;
            IdxFile.Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), [data.Count, data.Height, data.Width], data.Pixels);
            IdxFile.Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), [data.Count], data.Labels.Select(l => (byte)l).ToArray());
        }
        File.WriteAllLines(Path.Combine(folder, DataSetOpener.IdxClassNamesFile), classNames);
        return folder;
    }
}
