using System.CommandLine;
using System.Globalization;
using AlexNet.Interop;
using AlexNet.Models;

namespace AlexNet.Cli.Commands;

/// <summary><c>alexnet import</c>: PyTorch, safetensors or Caffe weights into a self-contained checkpoint.</summary>
public static class ImportCommand
{
    public static Command Create(TextWriter output)
    {
        var source = new Argument<string>("SOURCE") { Description = "torch.save file (.pth/.pt), safetensors file or .caffemodel" };
        var outputPath = new Option<string>("--output", "-o") { Description = "Checkpoint to write (.safetensors)", Required = true };
        var arch = new Option<string?>("--arch") { Description = "Architecture when the parameter names do not tell it: paper, torchvision, mini, caffe, caffenet or keras-cifar10" };
        var classes = new Option<string?>("--classes") { Description = "Class names, one per line (default: ImageNet's 1000 for 1000-class models)" };
        var command = new Command("import", "Import pretrained weights (PyTorch, safetensors, Caffe) as a checkpoint that predict and evaluate can use") { source, outputPath, arch, classes };
        command.SetAction(result =>
        {
            var architecture = result.GetValue(arch) is { } name ? ArchitectureNames.Parse(name) : (Architecture?)null;
            var options = new ImportOptions(result.GetValue(source)!, architecture, result.GetValue(classes));
            var target = result.GetValue(outputPath)!;
            var model = ModelImporter.ImportToFile(options, target);
            var config = model.Network.Config;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {model.Format} weights from {options.Source}: {config.Architecture.ToName()}, {model.Network.ParameterCount:N0} parameters, {config.Classes} classes, input {config.InputChannels}×{config.InputSize}×{config.InputSize} ({model.Preprocessing.ChannelOrder})"));
            output.WriteLine($"Wrote {target}");
            return 0;
        });
        return command;
    }
}
