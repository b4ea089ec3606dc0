using System.Globalization;
using System.Text.Json;
using AlexNet.Data;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tensors;
using AlexNet.Training;

namespace AlexNet.Checkpoints;

/// <summary>What a checkpoint holds besides the weights.</summary>
public sealed record CheckpointContents(
    Network Network,
    IReadOnlyList<string> ClassNames,
    Preprocessing Preprocessing,
    TrainingState? Training,
    IReadOnlyDictionary<string, Tensor> OptimizerTensors);

/// <summary>
/// Checkpoints as safetensors: parameters and running statistics under their own names, optimizer state under
/// <c>optimizer.*</c>, and metadata entries <c>format</c>, <c>model</c> (the architecture configuration),
/// <c>classes</c>, <c>preprocessing</c>, <c>epoch</c> and, for training checkpoints, <c>training</c>.
/// </summary>
public static class Checkpoint
{
    public const string FormatName = "alexnet-checkpoint/1";
    private const string OptimizerPrefix = "optimizer.";

    public static void Save(string path, Network network, IReadOnlyList<string> classNames, Preprocessing preprocessing,
        TrainingState? training = null, Optimizer? optimizer = null)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = FormatName,
            ["model"] = JsonSerializer.Serialize(network.Config, JsonDefaults.Options),
            ["classes"] = JsonSerializer.Serialize(classNames, JsonDefaults.Options),
            ["preprocessing"] = JsonSerializer.Serialize(preprocessing, JsonDefaults.Options),
            ["epoch"] = (training?.CompletedEpochs ?? 0).ToString(CultureInfo.InvariantCulture),
        };
        if (training is not null) metadata["training"] = JsonSerializer.Serialize(training, JsonDefaults.Options);
        var tensors = network.StoredTensors;
        if (optimizer is not null) tensors = tensors.Concat(optimizer.StateTensors());
        SafeTensorsFile.Write(path, tensors, metadata);
    }

    public static CheckpointContents Load(string path) => Load(SafeTensorsFile.Read(path), path);

    /// <summary>A checkpoint from its bytes (data-parallel ranks get rank 0's file this way); <paramref name="path"/> names it in errors.</summary>
    public static CheckpointContents Load(byte[] content, string path) => Load(SafeTensorsFile.Parse(content, path), path);

    private static CheckpointContents Load(SafeTensorsFile file, string path)
    {
        if (!file.Metadata.TryGetValue("format", out var format) || format != FormatName)
        {
            throw new AlexNetException($"'{path}' is a safetensors file but not an alexnet checkpoint (metadata 'format' is {(format is null ? "missing" : $"'{format}'")}, expected '{FormatName}').");
        }
        var config = ReadJson<ModelConfig>(file, "model", path);
        Network network;
        try
        {
            network = ModelFactory.Build(config);
        }
        catch (Exception e) when (e is AlexNetException or ArgumentException)
        {
            throw new AlexNetException($"Checkpoint '{path}' has a 'model' configuration that does not make a network: {e.Message}", e);
        }
        // Building cost no parameter memory (Parameter creates its arrays on first use): the shapes the 'model' metadata
        // implies are compared with the tensors the file really holds before any of them is filled.
        var problems = Problems(network, file.Tensors);
        if (problems.Count > 0)
        {
            throw new AlexNetException(
                $"Checkpoint '{path}' does not hold the network its 'model' metadata describes ({Describe(network.Config)}; {Count(problems)}):\n  " +
                string.Join("\n  ", problems));
        }
        Fill(network, file.Tensors);
        var classes = ReadJson<string[]>(file, "classes", path);
        if (classes.Length != network.Config.Classes)
        {
            throw new AlexNetException($"'{path}' lists {classes.Length} class names for a model with {network.Config.Classes} classes.");
        }
        var preprocessing = ReadJson<Preprocessing>(file, "preprocessing", path);
        var training = file.Metadata.ContainsKey("training") ? ReadJson<TrainingState>(file, "training", path) : null;
        var optimizerTensors = file.Tensors.Where(t => t.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary();
        return new CheckpointContents(network, classes, preprocessing, training, optimizerTensors);
    }

    /// <summary>
    /// Copies tensors into the network's parameters and running statistics after checking every key and shape; all
    /// mismatches (missing, unexpected, wrong shape) are reported in one error. Nothing is filled unless everything
    /// fits, and a parameter's or statistic's memory is created only when it is filled: a network built from what a
    /// file declares holds exactly the values the file provided (4 bytes each; at most twice the file's bytes, for
    /// half-precision files).
    /// </summary>
    public static void LoadParameters(Network network, IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var problems = Problems(network, tensors);
        if (problems.Count > 0)
        {
            throw new AlexNetException(
                $"'{source}' does not fit the {network.Config.Architecture.ToName()} architecture ({Count(problems)}):\n  " + string.Join("\n  ", problems));
        }
        Fill(network, tensors);
    }

    private static List<string> Problems(Network network, IReadOnlyDictionary<string, Tensor> tensors)
    {
        var problems = new List<string>();
        // Shapes and names only: no parameter or statistic memory is created before everything fits.
        foreach (var (name, shape) in network.StoredShapes)
        {
            if (!tensors.TryGetValue(name, out var tensor)) problems.Add($"missing '{name}' {shape}");
            else if (!tensor.Shape.Equals(shape)) problems.Add($"'{name}' has shape {tensor.Shape}, the model needs {shape}");
        }
        foreach (var key in tensors.Keys)
        {
            if (!key.StartsWith(OptimizerPrefix, StringComparison.Ordinal) && !network.Stores(key)) problems.Add($"unexpected '{key}'");
        }
        return problems;
    }

    private static void Fill(Network network, IReadOnlyDictionary<string, Tensor> tensors)
    {
        foreach (var (name, stored) in network.StoredTensors) tensors[name].Data.CopyTo(stored.Data, 0);
    }

    private static string Count(List<string> problems) => $"{problems.Count} problem{(problems.Count == 1 ? "" : "s")}";

    private static string Describe(ModelConfig config)
    {
        var w = config.Widths!;
        var lastHidden = w.LastHidden > 0 ? $"/{w.LastHidden}" : "";
        return $"{config.Architecture.ToName()}, widths {w.Conv1}/{w.Conv2}/{w.Conv3}/{w.Conv4}/{w.Conv5}/{w.Hidden}{lastHidden}, {config.Classes} classes, " +
            $"input {config.InputChannels}×{config.InputSize}×{config.InputSize}";
    }

    private static T ReadJson<T>(SafeTensorsFile file, string key, string path)
    {
        if (!file.Metadata.TryGetValue(key, out var json)) throw new AlexNetException($"Checkpoint '{path}' has no '{key}' metadata.");
        try
        {
            return JsonSerializer.Deserialize<T>(json, JsonDefaults.Options) ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new AlexNetException($"Checkpoint '{path}' has malformed '{key}' metadata: {e.Message}", e);
        }
    }
}
