using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Models;

namespace AlexNet.Cli.Commands;

/// <summary><c>alexnet summary</c>: a Keras-style table of layers, output shapes, parameters and multiply-adds.</summary>
public static class SummaryCommand
{
    public static Command Create(TextWriter output)
    {
        var arch = CommonOptions.Architecture("mini");
        var classes = new Option<int?>("--classes") { Description = "Number of classes (default: 10 for mini and keras-cifar10, 1000 otherwise)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var command = new Command("summary", "Show the layers of an architecture with output shapes, parameters and multiply-adds") { arch, classes, json };
        command.SetAction(result =>
        {
            var architecture = ArchitectureNames.Parse(result.GetValue(arch)!);
            var classCount = result.GetValue(classes) ?? (architecture.TakesSmallImages() ? 10 : 1000);
            var network = ModelFactory.Build(new ModelConfig(architecture, classCount));
            output.WriteLine(result.GetValue(json) ? Json(network) : Table(network));
            return 0;
        });
        return command;
    }

    public static string Table(Network network)
    {
        var c = network.Config;
        var rows = network.Summary.Select(s => new[]
        {
            s.Name, s.Description, s.OutputShape.ToString(), Format(s.Parameters), Format(s.MultiplyAdds),
        }).ToList();
        string[] header = ["Layer", "Operation", "Output shape", "Params", "Mult-adds"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var rule = new string('─', widths.Sum() + 2 * (widths.Length - 1));
        string Line(string[] cells) => string.Join("  ", cells.Select((cell, i) => i >= 3 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();
        var lines = new List<string>
        {
            $"Model: {c.Architecture.ToName()} ({c.Classes} classes, input {c.InputChannels}×{c.InputSize}×{c.InputSize})",
            rule, Line(header), rule,
        };
        lines.AddRange(rows.Select(Line));
        lines.Add(rule);
        lines.Add($"Total params: {Format(network.ParameterCount)}");
        var statistics = network.Statistics.Sum(s => s.Shape.ElementCount);
        if (statistics > 0) lines.Add($"Running statistics (not trained): {Format(statistics)}");
        lines.Add($"Multiply-adds per image (forward): {Format(network.MultiplyAdds)}");
        return string.Join(Environment.NewLine, lines);
    }

    public static string Json(Network network)
    {
        var c = network.Config;
        return JsonSerializer.Serialize(new
        {
            architecture = c.Architecture.ToName(),
            classes = c.Classes,
            input_shape = network.InputShape.ToArray(),
            total_params = network.ParameterCount,
            running_statistics = network.Statistics.Sum(s => s.Shape.ElementCount),
            total_multiply_adds = network.MultiplyAdds,
            layers = network.Summary.Select(s => new
            {
                name = s.Name,
                operation = s.Description,
                output_shape = s.OutputShape.ToArray(),
                @params = s.Parameters,
                multiply_adds = s.MultiplyAdds,
            }),
        }, JsonDefaults.Options);
    }

    private static string Format(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
