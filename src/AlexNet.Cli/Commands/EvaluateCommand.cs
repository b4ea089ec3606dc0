using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Training;

namespace AlexNet.Cli.Commands;

/// <summary><c>alexnet evaluate</c>: loss, top-1 and top-5 of a checkpoint on the Fashion-MNIST test set.</summary>
public static class EvaluateCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors) to evaluate", Required = true };
        var data = CommonOptions.FashionMnistData();
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var command = new Command("evaluate", "Report loss, top-1 and top-5 accuracy of a checkpoint on the Fashion-MNIST test set") { model, data, json };
        command.SetAction(result =>
        {
            var path = result.GetValue(model)!;
            var checkpoint = Checkpoint.Load(path);
            var test = FashionMnist.LoadTest(result.GetValue(data)!);
            var config = checkpoint.Network.Config;
            if (test.Channels != config.InputChannels || test.Height != config.InputSize)
            {
                throw new AlexNetException($"Model '{path}' expects {config.InputChannels}×{config.InputSize}×{config.InputSize} input; Fashion-MNIST images are {test.Channels}×{test.Height}×{test.Width}.");
            }
            var evaluation = Evaluation.Evaluate(checkpoint.Network, test, checkpoint.Preprocessing);
            if (result.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = path,
                    data = test.Name,
                    loss = evaluation.Loss,
                    top1 = evaluation.Top1,
                    top5 = evaluation.Top5,
                    count = evaluation.Count,
                    classes = checkpoint.ClassNames,
                    per_class_accuracy = evaluation.PerClassAccuracy(),
                    confusion = evaluation.Confusion,
                }, JsonDefaults.Options));
                return 0;
            }
            output.WriteLine($"Model {path} on {test.Name} ({evaluation.Count:N0} images)");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  loss  {evaluation.Loss:F4}\n  top-1 {evaluation.Top1:P2}\n  top-5 {evaluation.Top5:P2}"));
            var perClass = evaluation.PerClassAccuracy();
            for (var c = 0; c < perClass.Length; c++)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {checkpoint.ClassNames[c],-14} {perClass[c],8:P2}"));
            }
            return 0;
        });
        return command;
    }
}
