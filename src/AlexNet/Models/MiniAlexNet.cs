using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// AlexNet's structure for 28–32 px images: five convolutions (conv2, conv4, conv5 grouped in two), LRN after
/// ReLU of conv1 and conv2, three overlapping 3/2 max pools, and three fully connected layers with dropout.
/// conv1 is 5×5 stride 1 instead of 11×11 stride 4 because the images are 8× smaller; widths are
/// 32/64/96/96/64 and 512 hidden units (about 0.5 M parameters, 9.8 M multiply-adds per 28×28 image), so that
/// an epoch of Fashion-MNIST takes a couple of minutes on two cores. 28 px: 28 → 13 → 6 → 2 spatially.
/// </summary>
public static class MiniAlexNet
{
    public static Network Build(ModelConfig config)
    {
        config = config.Resolve() with { Architecture = Architecture.Mini };
        var w = config.Widths!;
        var layers = new List<Layer>
        {
            new ConvolutionLayer("conv1", config.InputChannels, w.Conv1, kernel: 5, padding: 2),
            new ReluLayer("relu1"), PaperLrn("norm1"), new MaxPoolLayer("pool1", 3, 2),
            new ConvolutionLayer("conv2", w.Conv1, w.Conv2, kernel: 5, padding: 2, groups: 2),
            new ReluLayer("relu2"), PaperLrn("norm2"), new MaxPoolLayer("pool2", 3, 2),
            new ConvolutionLayer("conv3", w.Conv2, w.Conv3, kernel: 3, padding: 1), new ReluLayer("relu3"),
            new ConvolutionLayer("conv4", w.Conv3, w.Conv4, kernel: 3, padding: 1, groups: 2), new ReluLayer("relu4"),
            new ConvolutionLayer("conv5", w.Conv4, w.Conv5, kernel: 3, padding: 1, groups: 2), new ReluLayer("relu5"),
            new MaxPoolLayer("pool5", 3, 2),
            new FlattenLayer("flatten"),
        };
        var features = PaperAlexNet.FeatureLength(layers, config);
        layers.AddRange(
        [
            new LinearLayer("fc6", features, w.Hidden), new ReluLayer("relu6"), new DropoutLayer("drop6", config.DropoutProbability),
            new LinearLayer("fc7", w.Hidden, w.Hidden), new ReluLayer("relu7"), new DropoutLayer("drop7", config.DropoutProbability),
            new LinearLayer("fc8", w.Hidden, config.Classes),
        ]);
        return new Network(config, layers);
    }

    /// <summary>
    /// He-normal weights (the paper's N(0, 0.01) stalls a small network without the paper's long schedule),
    /// N(0, 0.01) for the classifier fc8, zero biases.
    /// </summary>
    public static void Initialize(Network network, ulong seed) =>
        Initialization.Apply(network, seed, (parameter, random) =>
        {
            if (parameter.Role == ParameterRole.Bias) Initialization.Constant(parameter, 0f);
            else if (parameter.Name == "fc8.weight") Initialization.Normal(parameter, 0.01, random);
            else Initialization.HeNormal(parameter, random);
        });

    private static LrnLayer PaperLrn(string name) => new(name, size: 5, alpha: 1e-4f, beta: 0.75f, k: 2f);
}
