using System.CommandLine;
using AlexNet.Checkpoints;
using AlexNet.Data.Sources;
using AlexNet.Imaging;
using AlexNet.Randomness;
using AlexNet.Reporting;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet samples</c>: writes a seeded random choice of a data set's images as PNG files named after their
/// index and label, for instance to try <c>alexnet predict</c> on images the model has not trained on.
/// </summary>
public static class SamplesCommand
{
    public static Command Create(TextWriter output)
    {
        var data = new CommonOptions.DataOptions();
        var split = new Option<string>("--split") { Description = "train, val or test", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("train", "val", "test");
        var count = new Option<int>("--count") { Description = "Images to write", DefaultValueFactory = _ => 8 };
        var seed = new Option<ulong>("--seed") { Description = "Which images are chosen", DefaultValueFactory = _ => 1UL };
        var outDir = new Option<string>("--out") { Description = "Folder to write the PNG files into (created if missing)", Required = true };
        var command = new Command("samples", "Write a few images of a data set as PNG files (index_label.png)") { split, count, seed, outDir };
        foreach (var option in data.All) command.Add(option);
        command.SetAction(result =>
        {
            var wanted = result.GetValue(count);
            if (wanted < 1) throw new AlexNetException($"--count must be at least 1, got {wanted}.");
            var dataSet = TrainingData.Open(data.Request(result), new NativeImageDecoder());
            var splitName = result.GetValue(split)!;
            var source = (splitName switch { "train" => dataSet.Train, "val" => dataSet.Validation, _ => dataSet.Test })
                ?? throw new AlexNetException($"Data set '{dataSet.Path}' has no {splitName} split.");
            var folder = result.GetValue(outDir)!;
            var indices = new RandomStream(result.GetValue(seed), 0x5A3E).Permutation(source.Count).Take(wanted).Order().ToArray();
            var files = indices.Select(i => Path.Combine(folder, $"{i:D5}_{FileSafe(source.ClassNames[source.Label(i)])}.png")).ToArray();
            var existing = files.Where(File.Exists).ToList();
            if (existing.Count > 0) throw new AlexNetException($"Not overwriting existing files: {string.Join(", ", existing)}.");
            try
            {
                Directory.CreateDirectory(folder);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new AlexNetException($"Cannot create folder '{folder}': {e.Message}", e);
            }
            var channels = TrainingData.NativeChannels(dataSet);
            for (var k = 0; k < indices.Length; k++)
            {
                var png = PngEncoder.Encode(source.Load(indices[k], channels));
                AtomicFile.Write(files[k], stream => stream.Write(png));
            }
            output.WriteLine($"Wrote {files.Length} images of {dataSet.Path} ({splitName}) to {Path.GetFullPath(folder)}");
            return 0;
        });
        return command;
    }

    /// <summary>Class names may hold characters a file name cannot ("T-shirt/top").</summary>
    private static string FileSafe(string label) =>
        string.Concat(label.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '-'));
}
