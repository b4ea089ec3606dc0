using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;

namespace AlexNet.Training;

/// <summary>
/// A model for a data set that starts from a checkpoint's weights (imported or trained): the checkpoint's
/// architecture, widths and input channels (unless another architecture or input size is asked for), the data's
/// classes, and the checkpoint's preprocessing, which its weights expect. Every parameter whose name and shape
/// match is loaded. When the classes differ from the checkpoint's (in number or names) the classifier head (fc8)
/// keeps the architecture's initialization instead; any other mismatch is an error that lists all of them.
/// </summary>
public sealed record PretrainedModel(Network Network, Preprocessing Preprocessing, bool NewHead)
{
    public static PretrainedModel ForData(string checkpointPath, IReadOnlyList<string> classNames, Architecture? architecture, int? inputSize,
        ulong seed, Action<string>? log = null)
    {
        if (!File.Exists(checkpointPath)) throw new AlexNetException($"--init: checkpoint '{checkpointPath}' does not exist.");
        var checkpoint = Checkpoint.Load(checkpointPath);
        var source = checkpoint.Network;
        var sameArchitecture = architecture is null || architecture == source.Config.Architecture;
        var config = source.Config with
        {
            Architecture = architecture ?? source.Config.Architecture,
            Classes = classNames.Count,
            InputSize = inputSize ?? source.Config.InputSize,
            Widths = sameArchitecture ? source.Config.Widths : null,
        };
        Network network;
        try
        {
            network = ModelFactory.Create(config, seed);
        }
        catch (ArgumentException e)
        {
            throw new AlexNetException($"--init '{checkpointPath}': {e.Message}", e);
        }

        var newHead = !classNames.SequenceEqual(checkpoint.ClassNames);
        var head = newHead ? LayerFreezing.Head(network).Parameters.Select(p => p.Name).ToHashSet() : [];
        var problems = new List<string>();
        foreach (var parameter in network.Parameters)
        {
            if (head.Contains(parameter.Name)) continue;
            if (!source.TryGetParameter(parameter.Name, out var saved)) problems.Add($"the model needs '{parameter.Name}' {parameter.Shape}, which the checkpoint lacks");
            else if (!saved.Shape.Equals(parameter.Shape)) problems.Add($"'{parameter.Name}' is {saved.Shape} in the checkpoint, the model needs {parameter.Shape}");
        }
        var sourceHead = newHead ? LayerFreezing.Head(source).Parameters.Select(p => p.Name).ToHashSet() : [];
        foreach (var saved in source.Parameters)
        {
            if (!sourceHead.Contains(saved.Name) && !network.TryGetParameter(saved.Name, out _)) problems.Add($"the checkpoint's '{saved.Name}' has no place in the model");
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException(
                $"--init '{checkpointPath}' ({source.Config.Architecture.ToName()}, input {source.Config.InputChannels}×{source.Config.InputSize}×{source.Config.InputSize}) " +
                $"does not fit the {config.Architecture.ToName()} model with input {config.InputChannels}×{config.InputSize}×{config.InputSize} " +
                $"({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  {string.Join("\n  ", problems)}");
        }
        foreach (var parameter in network.Parameters)
        {
            if (!head.Contains(parameter.Name) && source.TryGetParameter(parameter.Name, out var saved)) saved.Value.Data.CopyTo(parameter.Value.Data, 0);
        }

        var headLayer = LayerFreezing.Head(network).Name;
        log?.Invoke(newHead
            ? $"Starting from '{checkpointPath}': {network.Parameters.Count - head.Count} of {network.Parameters.Count} parameters loaded; the classifier head {headLayer} " +
              $"is new ({config.Architecture.ToName()} initialization, seed {seed}), because the checkpoint's {checkpoint.ClassNames.Count} classes " +
              $"({Names(checkpoint.ClassNames)}) are not the data's {classNames.Count} ({Names(classNames)})."
            : $"Starting from '{checkpointPath}': all {network.Parameters.Count} parameters loaded, the classifier head {headLayer} included (same classes).");

        var preprocessing = checkpoint.Preprocessing;
        if (preprocessing.InputSize != config.InputSize)
        {
            preprocessing = preprocessing with { InputSize = config.InputSize, ResizeShorterSide = Math.Max(preprocessing.SquareSize, config.InputSize) };
        }
        return new PretrainedModel(network, preprocessing, newHead);
    }

    private static string Names(IReadOnlyList<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", …" : "");
}
