using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using AlexNet.Backends;
using AlexNet.Checkpoints;
using AlexNet.Models;
using AlexNet.OneDnn;

namespace AlexNet.Cli.Commands;

/// <summary>
/// <c>alexnet kernels</c>: what a backend runs for an architecture, batch size and mode without running it: the
/// instruction set, the layers handed to the managed kernels, and every oneDNN primitive with the implementation
/// oneDNN chose (a <c>ref:</c> name would be its slow reference code, which plans refuse).
/// </summary>
public static class KernelsCommand
{
    public static Command Create(TextWriter output)
    {
        var arch = new Option<string>("--arch")
        {
            Description = "Architecture, or 'all' for every shipped one",
            DefaultValueFactory = _ => "all",
        };
        var batches = new Option<string>("--batch") { Description = "Batch sizes, comma-separated", DefaultValueFactory = _ => "1,8,64,128" };
        var backend = CommonOptions.Backend();
        var json = new Option<bool>("--json") { Description = "Print one JSON array" };
        var command = new Command("kernels",
            "List the kernels a backend runs for each layer, without running them (auto first times small steps on both backends to choose)")
        {
            arch, batches, backend, json,
        };
        command.SetAction((result, cancellation) =>
        {
            var architectures = result.GetValue(arch) == "all" ? Enum.GetValues<Architecture>() : [ArchitectureNames.Parse(result.GetValue(arch)!)];
            var sizes = ParseBatches(result.GetValue(batches)!);
            var notices = result.GetValue(json) ? TextWriter.Null : output;
            var chosen = BackendResolver.Resolve(CommonOptions.ParseBackend(result.GetValue(backend)!), notices);
            var descriptions = new List<object>();
            foreach (var architecture in architectures)
            {
                var network = ModelFactory.Create(BenchCommand.BenchConfig(architecture), seed: 1);
                using var plan = chosen.CreatePlan(network);
                foreach (var batch in sizes)
                {
                    foreach (var training in new[] { false, true })
                    {
                        var description = plan.Describe(batch, training);
                        if (result.GetValue(json)) descriptions.Add(ToJson(architecture, batch, training, description));
                        else WriteText(output, architecture, batch, training, description);
                    }
                }
            }
            if (result.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(descriptions, JsonDefaults.Options));
            return Task.FromResult(0);
        });
        return command;
    }

    private static int[] ParseBatches(string text)
    {
        var sizes = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
            {
                throw new AlexNetException($"--batch: '{part}' is not a positive whole number (expected e.g. 1,8,64,128).");
            }
            sizes.Add(size);
        }
        return sizes.Count > 0 ? [.. sizes] : throw new AlexNetException("--batch: give at least one batch size.");
    }

    private static object ToJson(Architecture architecture, int batch, bool training, PlanDescription d) => new
    {
        arch = architecture.ToName(),
        batch,
        mode = training ? "training" : "inference",
        backend = d.Backend,
        isa = d.Isa,
        delegated_layers = d.DelegatedLayers,
        kernels = d.Kernels.Select(k => new { primitive = k.Primitive, implementation = k.Implementation }),
    };

    private static void WriteText(TextWriter output, Architecture architecture, int batch, bool training, PlanDescription d)
    {
        output.WriteLine($"{architecture.ToName()}, batch {batch}, {(training ? "training" : "inference")}: {d.Backend} ({d.Isa})" +
            (d.DelegatedLayers.Count > 0 ? $", on the managed kernels: {string.Join(", ", d.DelegatedLayers)}" : ""));
        var width = d.Kernels.Count == 0 ? 0 : d.Kernels.Max(k => k.Primitive.Length) + 2;
        foreach (var kernel in d.Kernels) output.WriteLine($"  {kernel.Primitive.PadRight(width)}{kernel.Implementation}");
    }
}
