using System.Collections.Concurrent;
using AlexNet.Models;

namespace AlexNet.OneDnn.Auto;

/// <summary>
/// The backend each network shape, batch size and mode runs on, decided once by a trial and then kept for every plan
/// of the process: two classifiers of the same model, or a model saved and loaded again, must give the same numbers,
/// and the two backends round differently in the last bits.
/// </summary>
internal sealed class BackendChoices
{
    public static BackendChoices Shared { get; } = new();

    private readonly ConcurrentDictionary<string, string> _chosen = new();

    public bool TryGet(Network network, int batch, bool training, out string backend) => _chosen.TryGetValue(Key(network, batch, training), out backend!);

    /// <summary>Keeps the first decision for a key: a plan that raced another takes the one that was stored.</summary>
    public string Keep(Network network, int batch, bool training, string backend) => _chosen.GetOrAdd(Key(network, batch, training), backend);

    /// <summary>
    /// What the cost of a step depends on: the input and every layer's operation and output shape (a truncated network
    /// for feature extraction runs fewer layers), and which layers backward reaches (frozen ones see none).
    /// </summary>
    private static string Key(Network network, int batch, bool training) =>
        $"{network.InputShape}|{string.Join(";", network.Layers.Zip(network.Summary, (l, s) => $"{s.Name} {s.Description} {s.OutputShape}{(l.ComputesInputGradient ? "" : " *")}"))}|{batch}|{training}";
}
