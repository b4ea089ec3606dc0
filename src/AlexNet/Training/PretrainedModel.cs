using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;

namespace AlexNet.Training;

/// <summary>
/// A model for a data set that starts from a checkpoint's weights (imported or trained): the checkpoint's
/// architecture, widths and input channels (unless another architecture or input size is asked for), the data's
/// classes, and the checkpoint's preprocessing, which its weights expect. Every parameter and running statistic
/// (batch normalization's mean and variance) whose name and shape match is loaded. When the classes differ from the
/// checkpoint's (in number or names) the classifier head (fc8; keras-cifar10's fc9 and bn9) keeps the architecture's
/// initialization instead; any other mismatch is an error that lists all of them.
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
        // Parameters and running statistics alike, by the names checkpoints store them under.
        static HashSet<string> HeadNames(Network model) =>
            LayerFreezing.Head(model).SelectMany(l => l.Parameters.Select(p => p.Name).Concat(l.Statistics.Select(s => s.Name))).ToHashSet();
        var head = newHead ? HeadNames(network) : [];
        var problems = new List<string>();
        foreach (var (name, tensor) in network.StoredTensors)
        {
            if (head.Contains(name)) continue;
            if (!source.TryGetStoredTensor(name, out var saved)) problems.Add($"the model needs '{name}' {tensor.Shape}, which the checkpoint lacks");
            else if (!saved.Shape.Equals(tensor.Shape)) problems.Add($"'{name}' is {saved.Shape} in the checkpoint, the model needs {tensor.Shape}");
        }
        var sourceHead = newHead ? HeadNames(source) : [];
        foreach (var (name, _) in source.StoredTensors)
        {
            if (!sourceHead.Contains(name) && !network.TryGetStoredTensor(name, out _)) problems.Add($"the checkpoint's '{name}' has no place in the model");
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException(
                $"--init '{checkpointPath}' ({source.Config.Architecture.ToName()}, input {source.Config.InputChannels}×{source.Config.InputSize}×{source.Config.InputSize}) " +
                $"does not fit the {config.Architecture.ToName()} model with input {config.InputChannels}×{config.InputSize}×{config.InputSize} " +
                $"({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):\n  {string.Join("\n  ", problems)}");
        }
        foreach (var (name, tensor) in network.StoredTensors)
        {
            if (!head.Contains(name) && source.TryGetStoredTensor(name, out var saved)) saved.Data.CopyTo(tensor.Data, 0);
        }

        var headLayers = string.Join(" and ", LayerFreezing.Head(network).Select(l => l.Name));
        var newParameters = network.Parameters.Count(p => head.Contains(p.Name));
        var statistics = network.Statistics.Count == 0 ? ""
            : $" and {network.Statistics.Count(s => !head.Contains(s.Name))} of {network.Statistics.Count} running statistics";
        log?.Invoke(newHead
            ? $"Starting from '{checkpointPath}': {network.Parameters.Count - newParameters} of {network.Parameters.Count} parameters{statistics} loaded; the classifier head {headLayers} " +
              $"is new ({config.Architecture.ToName()} initialization, seed {seed}), because the checkpoint's {checkpoint.ClassNames.Count} classes " +
              $"({Names(checkpoint.ClassNames)}) are not the data's {classNames.Count} ({Names(classNames)})."
            : $"Starting from '{checkpointPath}': all {network.Parameters.Count} parameters{statistics} loaded, the classifier head {headLayers} included (same classes).");

        var preprocessing = checkpoint.Preprocessing;
        if (preprocessing.InputSize != config.InputSize)
        {
            preprocessing = preprocessing with { InputSize = config.InputSize, ResizeShorterSide = Math.Max(preprocessing.SquareSize, config.InputSize) };
        }
        return new PretrainedModel(network, preprocessing, newHead);
    }

    private static string Names(IReadOnlyList<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", …" : "");
}
