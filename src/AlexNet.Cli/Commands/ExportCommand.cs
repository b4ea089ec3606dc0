using System.CommandLine;
using AlexNet.Checkpoints;
using AlexNet.Interop.Onnx;
using AlexNet.Models;

namespace AlexNet.Cli.Commands;

/// <summary><c>alexnet export</c>: a checkpoint as an ONNX model for inference, preprocessing in its metadata.</summary>
public static class ExportCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model") { Description = "Checkpoint (.safetensors) to export", Required = true };
        var outputPath = new Option<string>("--output", "-o") { Description = "ONNX file to write", Required = true };
        var command = new Command("export", $"Export a checkpoint as an ONNX model (opset {OnnxExporter.Opset}, dropout removed for inference)") { model, outputPath };
        command.SetAction(result =>
        {
            var path = result.GetValue(model)!;
            var target = result.GetValue(outputPath)!;
            var checkpoint = Checkpoint.Load(path);
            OnnxExporter.Export(target, checkpoint.Network, checkpoint.ClassNames, checkpoint.Preprocessing);
            output.WriteLine($"Exported {path} ({checkpoint.Network.Config.Architecture.ToName()}) to {target}: input '{OnnxExporter.InputName}', output '{OnnxExporter.OutputName}'");
            return 0;
        });
        return command;
    }
}
