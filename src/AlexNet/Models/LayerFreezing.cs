using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// Which parameters of a network train. Freezing keeps a prefix of the layers fixed: <c>features</c> (every
/// convolution layer and what lies between them) or a named layer and everything before it. Frozen parameters
/// are left out of the optimizer (no update, no weight decay, no optimizer state), and the first layer with
/// parameters after the frozen part computes no input gradient, so that backward passes on every backend end
/// there: the frozen layers cost one forward pass and nothing more.
/// </summary>
public static class LayerFreezing
{
    /// <summary>The name that freezes all convolution layers.</summary>
    public const string Features = "features";

    /// <summary>Index of the last frozen layer for <paramref name="freeze"/> (null: nothing frozen, −1).</summary>
    public static int LastFrozenLayer(Network network, string? freeze)
    {
        if (string.IsNullOrWhiteSpace(freeze)) return -1;
        var last = freeze.Trim() == Features
            ? Enumerable.Range(0, network.Layers.Count).Last(i => network.Layers[i] is ConvolutionLayer)
            : LayerNames.IndexOf(network, freeze, "--freeze");
        if (!network.Layers.Skip(last + 1).Any(l => l.Parameters.Count > 0))
        {
            throw new AlexNetException($"--freeze {freeze} freezes every layer with parameters of the {network.Config.Architecture.ToName()} model: nothing would train.");
        }
        return last;
    }

    /// <summary>
    /// Freezes through <paramref name="freeze"/> (null: nothing) and returns the parameters that train, in network
    /// order. Undoes any earlier freezing of the same network.
    /// </summary>
    public static IReadOnlyList<Parameter> Apply(Network network, string? freeze)
    {
        var last = LastFrozenLayer(network, freeze);
        var firstTrainable = -1;
        for (var i = 0; i < network.Layers.Count; i++)
        {
            var layer = network.Layers[i];
            if (firstTrainable < 0 && i > last && layer.Parameters.Count > 0) firstTrainable = i;
            // Nothing needs the gradient of the input image, nor of anything that feeds only frozen layers.
            layer.ComputesInputGradient = i > 0 && (last < 0 || i != firstTrainable);
        }
        return network.Layers.Skip(last + 1).SelectMany(l => l.Parameters).ToList();
    }

    /// <summary>The last layer with parameters (fc8): the classifier head that fine-tuning may create anew.</summary>
    public static Layer Head(Network network) => network.Layers.Last(l => l.Parameters.Count > 0);
}
