using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Sources;
using AlexNet.Imaging;
using AlexNet.Backends;
using AlexNet.Inference;
using AlexNet.OneDnn;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary><c>alexnet evaluate</c>: loss, top-1, top-5 and per-class accuracy of a checkpoint on a data split.</summary>
public static class EvaluateCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors) to evaluate", Required = true };
        var data = new CommonOptions.DataOptions();
        var split = new Option<string>("--split") { Description = "test or val (a data set without splits is evaluated whole)", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "val");
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var backendOption = CommonOptions.Backend();
        var tenCrop = new Option<bool>("--ten-crop") { Description = "Average the softmax over the paper's ten crops of each image" };
        var classNames = CommonOptions.ClassNames();
        var command = new Command("evaluate", "Report loss, top-1, top-5, per-class accuracy and the confusion matrix of a checkpoint (default: the Fashion-MNIST test set)")
        {
            model, split, json, tenCrop, backendOption, classNames,
        };
        foreach (var option in data.All) command.Add(option);
        command.SetAction(result =>
        {
            var path = result.GetValue(model)!;
            var checkpoint = Checkpoint.Load(path);
            var request = data.Request(result);
            var dataSet = TrainingData.Open(request, new NativeImageDecoder());
            var (source, splitName) = EvaluationSplits.Choose(dataSet, result.GetValue(split) == "val" ? DataSplit.Validation : DataSplit.Test);
            CheckClasses(checkpoint.ClassNames, dataSet.ClassNames, path, dataSet.Path);
            var classNamesFile = result.GetValue(classNames);
            var labels = SynsetWords.Apply(classNamesFile, checkpoint.ClassNames);
            var name = $"{dataSet.Path} ({splitName}{(result.GetValue(tenCrop) ? ", ten crops" : "")})";
            // With --json the notice becomes a field, so that stdout stays one JSON object.
            var notice = new StringWriter();
            var backend = BackendResolver.Resolve(CommonOptions.ParseBackend(result.GetValue(backendOption)!), notice);
            if (!result.GetValue(json)) output.Write(notice.ToString());
            var evaluation = result.GetValue(tenCrop)
                ? EvaluateTenCrops(checkpoint, source, request.Workers, backend)
                : EvaluateCentre(checkpoint, source, request, name, backend);
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = path,
                    backend = backend.Name,
                    data = name,
                    loss = evaluation.Loss,
                    top1 = evaluation.Top1,
                    top5 = evaluation.Top5,
                    count = evaluation.Count,
                    classes = checkpoint.ClassNames,
                    class_names = classNamesFile is null ? null : labels,
                    per_class_accuracy = evaluation.PerClassAccuracy(),
                    confusion = evaluation.Confusion,
                }, JsonDefaults.Options));
                return 0;
            }
            output.WriteLine($"Model {path} on {name}, {evaluation.Count:N0} images");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loss  {evaluation.Loss:F4}\n  top-1 {evaluation.Top1:P2}\n  top-5 {evaluation.Top5:P2}"));
            var perClass = evaluation.PerClassAccuracy();
            for (var c = 0; c < perClass.Length; c++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {labels[c],-14} {perClass[c],8:P2}"));
            }
            if (evaluation.Confusion.Length <= MaxPrintedConfusion) PrintConfusion(evaluation.Confusion, output);
            return 0;
        });
        return command;
    }

    /// <summary>Wider confusion matrices do not fit a terminal; --json always has the whole matrix.</summary>
    private const int MaxPrintedConfusion = 20;

    private static EvaluationResult EvaluateCentre(CheckpointContents checkpoint, ISampleSource source, DataRequest request, string name, IBackend backend)
    {
        var batches = source is IdxSource idx && checkpoint.Network.Config.InputChannels == 1 && checkpoint.Preprocessing.InputSize == idx.Dataset.Height
            ? new InMemoryBatches(idx.Dataset, checkpoint.Preprocessing, 500, shuffle: false, seed: 0)
            : ImageDataPreparation.EvaluationBatches(source, checkpoint.Preprocessing, 100, request.Workers, name);
        return Evaluation.Evaluate(checkpoint.Network, batches, backend);
    }

    private static EvaluationResult EvaluateTenCrops(CheckpointContents checkpoint, ISampleSource source, int workers, IBackend backend)
    {
        using var predictor = new Predictor(checkpoint.Network, checkpoint.Preprocessing, checkpoint.ClassNames, backend);
        return TenCropEvaluation.Evaluate(predictor, source, workers);
    }

    /// <summary>Rows are true classes, columns predicted classes, both by index.</summary>
    private static void PrintConfusion(int[][] confusion, TextWriter output)
    {
        var width = Math.Max(4, confusion.Max(row => row.Max()).ToString(CultureInfo.InvariantCulture).Length + 1);
        output.WriteLine("  confusion (rows: true class, columns: predicted class)");
        output.WriteLine("      " + string.Concat(Enumerable.Range(0, confusion.Length).Select(c => c.ToString(CultureInfo.InvariantCulture).PadLeft(width))));
        for (var r = 0; r < confusion.Length; r++)
        {
            output.WriteLine($"  {r,3} " + string.Concat(confusion[r].Select(v => v.ToString(CultureInfo.InvariantCulture).PadLeft(width))));
        }
    }

    /// <summary>Labels only mean the same thing when both class lists agree, in order.</summary>
    private static void CheckClasses(IReadOnlyList<string> model, IReadOnlyList<string> data, string modelPath, string dataPath)
    {
        if (model.SequenceEqual(data)) return;
        throw new AlexNetException(
            $"Model '{modelPath}' was trained on classes [{string.Join(", ", model.Take(12))}{(model.Count > 12 ? ", …" : "")}] " +
            $"but '{dataPath}' has [{string.Join(", ", data.Take(12))}{(data.Count > 12 ? ", …" : "")}].");
    }
}
