using AlexNet.Layers;

namespace AlexNet.Models;

/// <summary>
/// torchvision.models.alexnet: the single-tower "one weird trick" variant (Krizhevsky 2014) with no LRN and
/// no groups, adaptive 6×6 average pooling, and dropout before each hidden linear layer. Layer names match
/// torchvision's state_dict keys (features.0.weight …). 61,100,840 parameters with 1000 classes.
/// </summary>
public static class TorchvisionAlexNet
{
    public static Network Build(ModelConfig config)
    {
        config = config.Resolve() with { Architecture = Architecture.Torchvision };
        var w = config.Widths!;
        var p = config.Dropout;
        var layers = new List<Layer>
        {
            new ConvolutionLayer("features.0", config.InputChannels, w.Conv1, kernel: 11, stride: 4, padding: 2),
            new ReluLayer("features.1"), new MaxPoolLayer("features.2", 3, 2),
            new ConvolutionLayer("features.3", w.Conv1, w.Conv2, kernel: 5, padding: 2),
            new ReluLayer("features.4"), new MaxPoolLayer("features.5", 3, 2),
            new ConvolutionLayer("features.6", w.Conv2, w.Conv3, kernel: 3, padding: 1), new ReluLayer("features.7"),
            new ConvolutionLayer("features.8", w.Conv3, w.Conv4, kernel: 3, padding: 1), new ReluLayer("features.9"),
            new ConvolutionLayer("features.10", w.Conv4, w.Conv5, kernel: 3, padding: 1), new ReluLayer("features.11"),
            new MaxPoolLayer("features.12", 3, 2),
            new AdaptiveAvgPoolLayer("avgpool", 6, 6),
            new FlattenLayer("flatten"),
        };
        // Fail early, with the input size named, when the image is too small for the feature stack.
        AlexNetStack.FeatureLength(layers, config);
        layers.AddRange(
        [
            new DropoutLayer("classifier.0", p), new LinearLayer("classifier.1", w.Conv5 * 6 * 6, w.Hidden), new ReluLayer("classifier.2"),
            new DropoutLayer("classifier.3", p), new LinearLayer("classifier.4", w.Hidden, w.Hidden), new ReluLayer("classifier.5"),
            new LinearLayer("classifier.6", w.Hidden, config.Classes),
        ]);
        return new Network(config, layers);
    }

    /// <summary>PyTorch's default Conv2d/Linear initialization, which torchvision's AlexNet keeps.</summary>
    public static void Initialize(Network network, ulong seed)
    {
        var fanIns = network.Parameters.Where(p => p.Role == Tensors.ParameterRole.Weight)
            .ToDictionary(p => p.Name[..p.Name.LastIndexOf('.')], Initialization.FanIn);
        Initialization.Apply(network, seed, (parameter, random) =>
            Initialization.TorchDefault(parameter, fanIns[parameter.Name[..parameter.Name.LastIndexOf('.')]], random));
    }
}
