using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// Which parameters of a network train. Freezing keeps a prefix of the layers fixed: <c>features</c> (every
/// convolution layer and what lies between them, with the batch normalization of the last one) or a named layer and
/// everything before it. Frozen parameters
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
        int last;
        if (freeze.Trim() == Features)
        {
            last = Enumerable.Range(0, network.Layers.Count).Last(i => network.Layers[i] is ConvolutionLayer);
            // keras-cifar10's bn5 normalizes conv5's features: it belongs to them.
            while (last + 1 < network.Layers.Count && network.Layers[last + 1] is BatchNormLayer) last++;
        }
        else
        {
            last = LayerNames.IndexOf(network, freeze, "--freeze");
        }
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

    /// <summary>
    /// The classifier head that fine-tuning may create anew: the last layer with parameters other than a batch
    /// normalization (fc8; keras-cifar10's fc9), with the batch normalization of its outputs when one follows (bn9),
    /// whose parameters and running statistics are as many as the classes.
    /// </summary>
    public static IReadOnlyList<Layer> Head(Network network)
    {
        var layers = network.Layers;
        var first = Enumerable.Range(0, layers.Count).Last(i => layers[i].Parameters.Count > 0 && layers[i] is not BatchNormLayer);
        return layers.Skip(first).Where((layer, i) => i == 0 || layer is BatchNormLayer).ToList();
    }
}
