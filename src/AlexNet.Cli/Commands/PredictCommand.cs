using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Imaging;
using AlexNet.Inference;
using AlexNet.OneDnn;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet predict</c>: the most likely classes of images, folders of images or http(s) URLs. An image
/// that cannot be read or decoded is reported by name and makes the exit code 1; the others are still
/// predicted.
/// </summary>
public static class PredictCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors) to predict with", Required = true };
        var images = new Argument<string[]>("images") { Description = "Image files, folders of images, or http(s) URLs", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "Classes to show per image", DefaultValueFactory = _ => 5 };
        var tenCrop = new Option<bool>("--ten-crop") { Description = "Average the softmax over the paper's ten crops (corners, centre, mirrors)" };
        var json = new Option<bool>("--json") { Description = "Print a JSON list of {image, top: [{index, label, probability}]}" };
        var backendOption = CommonOptions.Backend();
        var classNames = CommonOptions.ClassNames();
        var command = new Command("predict", "Show the most likely classes of images, folders or URLs") { model, images, top, tenCrop, json, backendOption, classNames };
        command.SetAction(result =>
        {
            var count = result.GetValue(top);
            if (count < 1) throw new AlexNetException($"--top must be at least 1, got {count}.");
            var checkpoint = Checkpoint.Load(result.GetValue(model)!);
            // The backend notice goes to stderr so that stdout stays the predictions (one JSON document with --json).
            var backend = BackendResolver.Resolve(CommonOptions.ParseBackend(result.GetValue(backendOption)!), error);
            var labels = SynsetWords.Apply(result.GetValue(classNames), checkpoint.ClassNames);
            using var predictor = new Predictor(checkpoint.Network, checkpoint.Preprocessing, labels, backend);
            var names = ImageArguments.Expand(result.GetValue(images)!);
            var decoder = new NativeImageDecoder();
            var predictions = new List<Prediction>();
            var failures = 0;
            foreach (var name in names)
            {
                try
                {
                    var image = Load(name, decoder, predictor.Crops.Channels);
                    var probabilities = predictor.Probabilities(image, result.GetValue(tenCrop));
                    predictions.Add(new Prediction(name, predictor.Top(probabilities, count)));
                }
                catch (AlexNetException e)
                {
                    error.WriteLine($"error: {e.Message}");
                    failures++;
                }
            }
            if (result.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(predictions, JsonDefaults.Indented));
            else Print(predictions, output);
            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    private static Image Load(string name, NativeImageDecoder decoder, int channels) =>
        RemoteImage.IsUrl(name) ? decoder.Decode(RemoteImage.Download(name), name, channels) : decoder.Load(name, channels);

    private static void Print(IEnumerable<Prediction> predictions, TextWriter output)
    {
        foreach (var prediction in predictions)
        {
            output.WriteLine(prediction.Image);
            foreach (var score in prediction.Top)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {score.Probability,7:P2}  {score.Label} ({score.Index})"));
            }
        }
    }

    private sealed record Prediction(string Image, IReadOnlyList<ClassScore> Top);
}
