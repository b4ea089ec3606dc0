using System.Text;
using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Data.Sources;
using AlexNet.Models;
using AlexNet.Training;

namespace AlexNet.Inference.Features;

/// <summary>
/// Writes one row of a layer's activations per image into a .npy or .csv file, and beside it a list of the
/// images in the same order (<c>NAME.images.csv</c>: row, split, path, label, class; label and class empty for
/// unlabelled images). Images are fed as the model's checkpoint says (centre crop), a batch at a time: memory
/// stays that of one batch whatever the number of images. Both files appear only once complete, and existing
/// files are replaced only when asked.
/// </summary>
public static class FeatureExtraction
{
    private const int BatchSize = 64;

    /// <summary>The format named by <paramref name="outputPath"/>'s extension.</summary>
    public static FeatureFormat FormatOf(string outputPath) => Path.GetExtension(outputPath).ToLowerInvariant() switch
    {
        ".npy" => FeatureFormat.Npy,
        ".csv" => FeatureFormat.Csv,
        _ => throw new AlexNetException($"--out '{outputPath}': write features to a .npy or a .csv file."),
    };

    /// <summary>The companion list of <paramref name="outputPath"/>: features.npy → features.images.csv.</summary>
    public static string ListPathOf(string outputPath) => Path.ChangeExtension(outputPath, null) + ".images.csv";

    /// <param name="parts">The images in order, each part with the split name the list shows (empty for none).</param>
    public static FeatureExtractionResult Run(Network network, Preprocessing preprocessing, IReadOnlyList<(string Split, ISampleSource Source)> parts,
        string layer, string outputPath, IBackend? backend = null, int workers = 0, bool overwrite = false, CancellationToken cancellation = default)
    {
        var format = FormatOf(outputPath);
        var listPath = ListPathOf(outputPath);
        foreach (var path in new[] { outputPath, listPath })
        {
            if (!overwrite && File.Exists(path)) throw new AlexNetException($"'{path}' already exists; choose another --out or pass --force to replace it.");
        }
        using var extractor = new FeatureExtractor(network, layer, backend);
        var rows = parts.Sum(p => p.Source.Count);
        if (rows == 0) throw new AlexNetException("There are no images to extract features from.");
        using IFeatureWriter writer = format == FeatureFormat.Npy
            ? new NpyFeatureWriter(outputPath, rows, extractor.Dimension)
            : new CsvFeatureWriter(outputPath, extractor.Dimension);
        using var list = new PendingFile(listPath);
        using var listWriter = new StreamWriter(list.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        listWriter.WriteLine("row,split,path,label,class");
        var row = 0;
        foreach (var (split, source) in parts)
        {
            foreach (var batch in Batches(source, preprocessing, workers, split).Epoch(0, cancellation))
            {
                writer.Write(extractor.Extract(batch.Images), batch.Labels.Length);
                for (var i = 0; i < batch.Labels.Length; i++)
                {
                    var label = batch.Labels[i];
                    var (labelText, className) = label >= 0 ? (label.ToString(System.Globalization.CultureInfo.InvariantCulture), source.ClassNames[label]) : ("", "");
                    listWriter.WriteLine($"{row++},{Csv(split)},{Csv(source.Describe(batch.Indices[i]))},{labelText},{Csv(className)}");
                }
            }
        }
        listWriter.Flush();
        writer.Commit();
        list.Commit();
        return new FeatureExtractionResult(Path.GetFullPath(outputPath), Path.GetFullPath(listPath), format, extractor.Layer, rows, extractor.Dimension);
    }

    /// <summary>In-memory batches for IDX images at the model's size, the file loader (centre crop) for everything else.</summary>
    private static IBatchProvider Batches(ISampleSource source, Preprocessing preprocessing, int workers, string split) =>
        source is IdxSource idx && preprocessing.ChannelOrder == ChannelOrder.Gray && preprocessing.InputSize == idx.Dataset.Height
            ? new InMemoryBatches(idx.Dataset, preprocessing, BatchSize, shuffle: false, seed: 0)
            : ImageDataPreparation.EvaluationBatches(source, preprocessing, BatchSize, workers, split);

    /// <summary>Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180).</summary>
    private static string Csv(string field) =>
        field.AsSpan().IndexOfAny(",\"\n\r") < 0 ? field : "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
