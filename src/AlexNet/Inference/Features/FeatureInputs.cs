using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Sources;
using AlexNet.Training;

namespace AlexNet.Inference.Features;

/// <summary>
/// What a user names for feature extraction: one data set (any layout <c>--data</c> reads: its images with
/// their labels, every split in turn or the one asked for) or image files and folders (unlabelled).
/// </summary>
public static class FeatureInputs
{
    public static IReadOnlyList<(string Split, ISampleSource Source)> Resolve(IReadOnlyList<string> arguments, DataSplit? split, IImageDecoder decoder)
    {
        if (arguments.Count == 0) throw new AlexNetException("Name a data set, or image files or folders, to extract features from.");
        if (arguments.Any(RemoteImage.IsUrl)) throw new AlexNetException($"Features are extracted from local files; '{arguments.First(RemoteImage.IsUrl)}' is a URL.");
        // One folder, CSV list or 'fashion-mnist' is a data set when it opens as one; anything else is images.
        if (arguments.Count == 1 && (!File.Exists(arguments[0]) || arguments[0].EndsWith(".csv", StringComparison.OrdinalIgnoreCase)))
        {
            DataSet? data = null;
            AlexNetException? notADataSet = null;
            try
            {
                data = TrainingData.Open(new DataRequest(arguments[0]), decoder);
            }
            catch (AlexNetException e)
            {
                notADataSet = e;
            }
            if (data is not null) return Parts(data, split);
            if (!Directory.Exists(arguments[0])) throw notADataSet!;
            // A folder that is no data set: its images, without labels.
        }
        if (split is not null) throw new AlexNetException($"--split applies to a data set; {string.Join(", ", arguments.Select(a => $"'{a}'"))} are image files and folders.");
        return [("", new UnlabelledImages(ImageArguments.Expand(arguments), decoder))];
    }

    /// <summary>
    /// The requested split, or every split the data set has, in the order train, val, test; a data set without
    /// splits is one part, whatever split is asked for.
    /// </summary>
    public static IReadOnlyList<(string Split, ISampleSource Source)> Parts(DataSet data, DataSplit? split)
    {
        if (EvaluationSplits.HasNoSplits(data) && data.Train is { } all) return [("", all)];
        (string Name, ISampleSource? Source)[] splits = [("train", data.Train), ("val", data.Validation), ("test", data.Test)];
        if (split is { } wanted)
        {
            var name = SplitName(wanted);
            var source = splits.First(s => s.Name == name).Source ?? throw new AlexNetException($"Data set '{data.Path}' has no {name} split.");
            return [(name, source)];
        }
        return splits.Where(s => s.Source is not null).Select(s => (s.Name, s.Source!)).ToList();
    }

    public static string SplitName(DataSplit split) => split switch
    {
        DataSplit.Train => "train",
        DataSplit.Validation => "val",
        _ => "test",
    };
}
