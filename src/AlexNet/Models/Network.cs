using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>One row of a network summary: a layer, its per-sample output shape and its costs.</summary>
public sealed record LayerSummary(string Name, string Description, Shape OutputShape, long Parameters, long MultiplyAdds);

/// <summary>
/// A sequential network built from a <see cref="ModelConfig"/>. Parameters live here in canonical layout
/// (OIHW convolution weights, (out, in) linear weights); backends compute with them.
/// </summary>
public sealed class Network
{
    private readonly Dictionary<string, Parameter> _parametersByName;

    public Network(ModelConfig config, IReadOnlyList<Layer> layers) : this(config, layers, endsInLogits: true)
    {
    }

    private Network(ModelConfig config, IReadOnlyList<Layer> layers, bool endsInLogits)
    {
        Config = config.Resolve();
        Layers = layers;
        Parameters = layers.SelectMany(l => l.Parameters).ToList();
        _parametersByName = Parameters.ToDictionary(p => p.Name);
        InputShape = new Shape(Config.InputChannels, Config.InputSize, Config.InputSize);
        if (layers.Count > 0) layers[0].ComputesInputGradient = false;
        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i] is ReluLayer relu) relu.MayOverwriteInput = layers[i - 1] is ConvolutionLayer or LinearLayer;
        }
        Summary = Summarize();
        var output = Summary[^1].OutputShape;
        if (endsInLogits && (output.Rank != 1 || output[0] != Config.Classes))
        {
            throw new ArgumentException($"The network ends in {output}, expected ({Config.Classes}) logits.");
        }
    }

    public ModelConfig Config { get; }

    public IReadOnlyList<Layer> Layers { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Per-sample input shape (C, H, W).</summary>
    public Shape InputShape { get; }

    public IReadOnlyList<LayerSummary> Summary { get; }

    public long ParameterCount => Parameters.Sum(p => p.Shape.ElementCount);

    public long MultiplyAdds => Summary.Sum(s => s.MultiplyAdds);

    public bool TryGetParameter(string name, out Parameter parameter) => _parametersByName.TryGetValue(name, out parameter!);

    public Tensor Forward(Tensor input, ForwardContext context)
    {
        CheckInput(input);
        var x = input;
        foreach (var layer in Layers) x = layer.Forward(x, context);
        return x;
    }

    /// <summary>Throws unless <paramref name="input"/> is an (N, C, H, W) batch of this network's input shape.</summary>
    public void CheckInput(Tensor input)
    {
        if (input.Shape.Rank != 4 || !input.Shape.WithoutBatch().Equals(InputShape))
        {
            throw new ArgumentException($"The {Config.Architecture.ToName()} network expects input (N, {InputShape[0]}, {InputShape[1]}, {InputShape[2]}), got {input.Shape}.");
        }
    }

    /// <summary>
    /// Backpropagates the gradient of the loss w.r.t. the logits; parameter gradients accumulate. The pass ends at
    /// the first layer that computes no input gradient: the network's first layer, or the first trainable layer
    /// after a frozen part (<see cref="LayerFreezing"/>), whose layers then see no backward pass at all.
    /// </summary>
    public void Backward(Tensor logitsGradient)
    {
        var gradient = logitsGradient;
        for (var i = Layers.Count - 1; i >= 0; i--)
        {
            gradient = Layers[i].Backward(gradient);
            if (!Layers[i].ComputesInputGradient) break;
        }
    }

    /// <summary>
    /// The layers up to and including <paramref name="layerIndex"/>, sharing this network's layers and parameters:
    /// its output is that layer's activation (feature extraction). For inference only.
    /// </summary>
    public Network Truncated(int layerIndex)
    {
        if (layerIndex < 0 || layerIndex >= Layers.Count) throw new ArgumentOutOfRangeException(nameof(layerIndex));
        return new Network(Config, Layers.Take(layerIndex + 1).ToList(), endsInLogits: false);
    }

    /// <summary>Per-sample output shape of layer <paramref name="layerIndex"/>.</summary>
    public Shape OutputShapeOf(int layerIndex) => Summary[layerIndex].OutputShape;

    public void ZeroGradients()
    {
        foreach (var p in Parameters) p.ZeroGradient();
    }

    private List<LayerSummary> Summarize()
    {
        var rows = new List<LayerSummary>();
        var shape = InputShape;
        foreach (var layer in Layers)
        {
            var macs = layer.MultiplyAdds(shape);
            shape = layer.OutputShape(shape);
            rows.Add(new LayerSummary(layer.Name, layer.Description, shape, layer.Parameters.Sum(p => p.Shape.ElementCount), macs));
        }
        return rows;
    }
}
