using AlexNet.Checkpoints;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Interop;

/// <summary>
/// Puts named weights (PyTorch's state_dict keys) into a network: tells the architecture from the names when
/// not given (torchvision's <c>features.0.weight</c> … or the paper's <c>conv1.weight</c> …), reads the layer
/// widths and class count from the weight shapes, then loads every parameter, reporting all missing,
/// unexpected and misshapen keys at once.
/// </summary>
public static class WeightMapping
{
    private const string DataParallelPrefix = "module.";

    private static readonly string[] TorchvisionLayers = ["features.0", "features.3", "features.6", "features.8", "features.10", "classifier.1", "classifier.4", "classifier.6"];
    private static readonly string[] PaperLayers = ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"];

    public static Network Load(IReadOnlyList<KeyValuePair<string, Tensor>> weights, Architecture? requested, string source)
    {
        var tensors = StripPrefix(weights);
        var architecture = requested ?? Infer(tensors.Keys, source);
        var layers = architecture == Architecture.Torchvision ? TorchvisionLayers : PaperLayers;
        var defaults = new ModelConfig(architecture).Resolve();
        // Every width comes from the file: a missing weight must not fall back to the full-size default, which would
        // build a network of 61 million parameters from a file that holds a few thousand.
        var missing = layers.Select(layer => layer + ".weight").Where(key => !tensors.TryGetValue(key, out var w) || w.Shape.Rank < 2).ToList();
        if (missing.Count > 0)
        {
            throw new AlexNetException(
                $"'{source}' lacks the {architecture.ToName()} weight(s) {string.Join(", ", missing.Select(key => $"'{key}'"))} (found {string.Join(", ", tensors.Keys.Take(16).Select(k => $"'{k}'"))}{(tensors.Count > 16 ? ", …" : "")}).");
        }
        int Out(int layer, int fallback) => tensors.TryGetValue(layers[layer] + ".weight", out var w) && w.Shape.Rank >= 2 ? w.Shape[0] : fallback;
        var widths = defaults.Widths!;
        var config = defaults with
        {
            Classes = Out(7, defaults.Classes),
            InputChannels = tensors.TryGetValue(layers[0] + ".weight", out var conv1) && conv1.Shape.Rank == 4 ? conv1.Shape[1] : defaults.InputChannels,
            Widths = new LayerWidths(Out(0, widths.Conv1), Out(1, widths.Conv2), Out(2, widths.Conv3), Out(3, widths.Conv4), Out(4, widths.Conv5), Out(5, widths.Hidden)),
        };
        Network network;
        try
        {
            network = ModelFactory.Build(config);
        }
        catch (Exception e) when (e is ArgumentException or AlexNetException)
        {
            throw new AlexNetException($"The weights in '{source}' do not make a {architecture.ToName()} network: {e.Message}", e);
        }
        Checkpoint.LoadParameters(network, tensors, source);
        return network;
    }

    /// <summary>The architecture the parameter names belong to.</summary>
    public static Architecture Infer(IEnumerable<string> keys, string source)
    {
        var list = keys.ToList();
        if (list.Any(k => k.StartsWith("features.", StringComparison.Ordinal) || k.StartsWith("classifier.", StringComparison.Ordinal))) return Architecture.Torchvision;
        if (list.Any(k => k.StartsWith("conv1.", StringComparison.Ordinal) || k.StartsWith("fc8.", StringComparison.Ordinal))) return Architecture.Paper;
        throw new AlexNetException(
            $"Cannot tell the architecture of '{source}' from its parameter names ({string.Join(", ", list.Take(4).Select(k => $"'{k}'"))}{(list.Count > 4 ? ", …" : "")}); name it with --arch.");
    }

    /// <summary>Drops the "module." that torch.nn.DataParallel puts before every name.</summary>
    private static Dictionary<string, Tensor> StripPrefix(IReadOnlyList<KeyValuePair<string, Tensor>> weights)
    {
        var strip = weights.Count > 0 && weights.All(w => w.Key.StartsWith(DataParallelPrefix, StringComparison.Ordinal));
        var result = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in weights) result[strip ? key[DataParallelPrefix.Length..] : key] = tensor;
        return result;
    }
}
