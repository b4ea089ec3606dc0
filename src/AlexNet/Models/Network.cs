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
    private readonly Dictionary<string, RunningStatistic> _statisticsByName;

    public Network(ModelConfig config, IReadOnlyList<Layer> layers) : this(config, layers, endsInLogits: true)
    {
    }

    private Network(ModelConfig config, IReadOnlyList<Layer> layers, bool endsInLogits)
    {
        Config = config.Resolve();
        Layers = layers;
        Parameters = layers.SelectMany(l => l.Parameters).ToList();
        _parametersByName = Parameters.ToDictionary(p => p.Name);
        Statistics = layers.SelectMany(l => l.Statistics).ToList();
        _statisticsByName = Statistics.ToDictionary(s => s.Name);
        InputShape = new Shape(Config.InputChannels, Config.InputSize, Config.InputSize);
        if (layers.Count > 0) layers[0].ComputesInputGradient = false;
        for (var i = 1; i < layers.Count; i++)
        {
            if (layers[i] is ReluLayer relu) relu.MayOverwriteInput = layers[i - 1] is ConvolutionLayer or LinearLayer or BatchNormLayer;
        }
        Fusion = new ActivationFusion(layers);
        Summary = Summarize();
        var output = Summary[^1].OutputShape;
        if (endsInLogits && (output.Rank != 1 || output[0] != Config.Classes))
        {
            throw new ArgumentException($"The network ends in {output}, expected ({Config.Classes}) logits.");
        }
    }

    public ModelConfig Config { get; }

    /// <summary>The ReLUs the managed plan runs inside their neighbours in this network.</summary>
    internal ActivationFusion Fusion { get; }

    public IReadOnlyList<Layer> Layers { get; }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Running statistics of batch normalization layers: saved with the parameters, never trained.</summary>
    public IReadOnlyList<RunningStatistic> Statistics { get; }

    /// <summary>Everything a checkpoint holds for the model: parameter values, then running statistics, by name.</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> StoredTensors =>
        Parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)).Concat(Statistics.Select(s => KeyValuePair.Create(s.Name, s.Value)));

    /// <summary>The names and shapes of <see cref="StoredTensors"/>, without creating any parameter's or statistic's memory.</summary>
    public IEnumerable<(string Name, Shape Shape)> StoredShapes =>
        Parameters.Select(p => (p.Name, p.Shape)).Concat(Statistics.Select(s => (s.Name, s.Shape)));

    /// <summary>Whether a checkpoint of this model holds a tensor named <paramref name="name"/>; creates no memory.</summary>
    public bool Stores(string name) => _parametersByName.ContainsKey(name) || _statisticsByName.ContainsKey(name);

    /// <summary>Per-sample input shape (C, H, W).</summary>
    public Shape InputShape { get; }

    public IReadOnlyList<LayerSummary> Summary { get; }

    public long ParameterCount => Parameters.Sum(p => p.Shape.ElementCount);

    public long MultiplyAdds => Summary.Sum(s => s.MultiplyAdds);

    public bool TryGetParameter(string name, out Parameter parameter) => _parametersByName.TryGetValue(name, out parameter!);

    /// <summary>The parameter value or running statistic stored under <paramref name="name"/>.</summary>
    public bool TryGetStoredTensor(string name, out Tensor tensor)
    {
        if (_parametersByName.TryGetValue(name, out var parameter)) tensor = parameter.Value;
        else if (_statisticsByName.TryGetValue(name, out var statistic)) tensor = statistic.Value;
        else tensor = null!;
        return tensor is not null;
    }

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

    /// <summary>
    /// The batch normalization layer that stops training on <paramref name="images"/> images in batches of
    /// <paramref name="batchSize"/>, or null: a layer that sees one value per channel of each image (after a dense layer, or
    /// on a 1×1 plane) cannot train on a batch of one image (one value has no variance), whether every batch holds one
    /// or the last one does.
    /// </summary>
    public BatchNormLayer? BatchNormUntrainableOn(int batchSize, int images) =>
        batchSize == 1 || images % batchSize == 1
            ? Layers.Zip(Summary).FirstOrDefault(p => p.First is BatchNormLayer && p.Second.OutputShape.ElementCount == p.Second.OutputShape[0]).First
                as BatchNormLayer
            : null;

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
