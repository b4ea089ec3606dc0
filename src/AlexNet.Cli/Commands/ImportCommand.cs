using System.CommandLine;
using System.Globalization;
using AlexNet.Data;
using AlexNet.Interop;
using AlexNet.Interop.Download;
using AlexNet.Models;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet import</c>: PyTorch, safetensors, Caffe or TensorFlow-ported Caffe (.npy) weights into a self-contained
/// checkpoint; <c>alexnet import torchvision</c> first downloads torchvision's ImageNet weights into the cache.
/// </summary>
public static class ImportCommand
{
    public static Command Create(TextWriter output)
    {
        var source = new Argument<string>("SOURCE")
        {
            Description = "torch.save file (.pth/.pt), safetensors file, .caffemodel, bvlc_alexnet.npy, or 'torchvision' to download torchvision's ImageNet weights",
        };
        var outputPath = new Option<string>("--output", "-o") { Description = "Checkpoint to write (.safetensors)", Required = true };
        var arch = new Option<string?>("--arch") { Description = "Architecture when the parameter names do not tell it: paper, torchvision, mini, caffe or caffenet" };
        var classes = new Option<string?>("--classes") { Description = "Class names, one per line (default: ImageNet's 1000 for 1000-class models)" };
        var resize = new Option<string?>("--resize")
        {
            Description = "How images are resized: shorter-side (keep the aspect ratio, then the centre; the default) or squash (both sides to the input size, the TensorFlow ports' recipe)",
        };
        resize.AcceptOnlyFromAmong("shorter-side", "squash");
        var mean = new Option<string?>("--mean") { Description = "Per-channel mean on the 0..255 scale in the model's channel order, e.g. 104,117,124 (BGR for Caffe weights)" };
        var std = new Option<string?>("--std") { Description = "Per-channel standard deviation on the 0..255 scale in the model's channel order" };
        var url = new Option<string?>("--url") { Description = $"With 'torchvision': where to download from (default ${TorchvisionWeights.UrlVariable} or {TorchvisionWeights.DefaultUrl})" };
        var cache = new Option<string?>("--cache") { Description = $"With 'torchvision': the download folder (default ${WeightCache.Variable}, $XDG_CACHE_HOME/alexnet or ~/.cache/alexnet)" };
        var command = new Command("import", "Import pretrained weights (PyTorch, safetensors, Caffe, bvlc_alexnet.npy; 'torchvision' downloads them) as a checkpoint that predict, evaluate and train --init can use")
        {
            source, outputPath, arch, classes, resize, mean, std, url, cache,
        };
        command.SetAction((result, cancellation) =>
        {
            var architecture = result.GetValue(arch) is { } name ? ArchitectureNames.Parse(name) : (Architecture?)null;
            var path = result.GetValue(source)!;
            if (path == TorchvisionWeights.SourceName && !File.Exists(path))
            {
                path = TorchvisionWeights.Fetch(result.GetValue(url), result.GetValue(cache), output.WriteLine, cancellation: cancellation);
            }
            else if (result.GetValue(url) is not null || result.GetValue(cache) is not null)
            {
                throw new AlexNetException($"--url and --cache apply to 'alexnet import {TorchvisionWeights.SourceName}' only.");
            }
            var options = new ImportOptions(path, architecture, result.GetValue(classes),
                result.GetValue(resize) switch { "squash" => ResizeMode.Squash, "shorter-side" => ResizeMode.ShorterSide, _ => null },
                Numbers(result.GetValue(mean), "--mean"), Numbers(result.GetValue(std), "--std"));
            var target = result.GetValue(outputPath)!;
            var model = ModelImporter.ImportToFile(options, target);
            var config = model.Network.Config;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {model.Format} weights from {options.Source}: {config.Architecture.ToName()}, {model.Network.ParameterCount:N0} parameters, {config.Classes} classes, input {config.InputChannels}×{config.InputSize}×{config.InputSize} ({model.Preprocessing.ChannelOrder}, {(model.Preprocessing.Resize == ResizeMode.Squash ? "squashed" : "shorter side")} to {model.Preprocessing.SquareSize})"));
            output.WriteLine($"Wrote {target}");
            return Task.FromResult(0);
        });
        return command;
    }

    private static float[]? Numbers(string? text, string option)
    {
        if (text is null) return null;
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        var values = new float[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !float.IsFinite(values[i]))
            {
                throw new AlexNetException($"{option}: '{parts[i]}' in '{text}' is not a number.");
            }
        }
        return values;
    }
}
