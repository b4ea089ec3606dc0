namespace AlexNet.Models;

/// <summary>
/// Finds a network's layer by the name a user gives: the layer's own name (<c>conv5</c>, <c>pool5</c>,
/// <c>features.12</c>) or, for torchvision's numbered layers, the paper's name of the same layer (<c>conv1</c> …
/// <c>conv5</c>, <c>pool1</c>, <c>pool2</c>, <c>pool5</c>, <c>fc6</c> … <c>fc8</c> and their <c>relu</c>s), so that
/// one command line works for every architecture.
/// </summary>
public static class LayerNames
{
    /// <summary>torchvision's AlexNet layers under the paper's names (the positions in torchvision.models.alexnet).</summary>
    private static readonly Dictionary<string, string> TorchvisionAliases = new()
    {
        ["conv1"] = "features.0", ["relu1"] = "features.1", ["pool1"] = "features.2",
        ["conv2"] = "features.3", ["relu2"] = "features.4", ["pool2"] = "features.5",
        ["conv3"] = "features.6", ["relu3"] = "features.7",
        ["conv4"] = "features.8", ["relu4"] = "features.9",
        ["conv5"] = "features.10", ["relu5"] = "features.11", ["pool5"] = "features.12",
        ["fc6"] = "classifier.1", ["relu6"] = "classifier.2",
        ["fc7"] = "classifier.4", ["relu7"] = "classifier.5",
        ["fc8"] = "classifier.6",
    };

    /// <summary>The index of the layer called <paramref name="name"/>; <paramref name="option"/> names the option in the error.</summary>
    public static int IndexOf(Network network, string name, string option)
    {
        var wanted = name.Trim();
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < network.Layers.Count; i++)
            {
                if (network.Layers[i].Name == wanted) return i;
            }
            if (network.Config.Architecture != Architecture.Torchvision || !TorchvisionAliases.TryGetValue(wanted, out var alias)) break;
            wanted = alias;
        }
        throw new AlexNetException(
            $"{option}: the {network.Config.Architecture.ToName()} model has no layer '{name}'. Its layers: {string.Join(", ", network.Layers.Select(l => l.Name))}.");
    }
}
