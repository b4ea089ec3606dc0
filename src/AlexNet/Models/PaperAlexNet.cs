using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// Krizhevsky, Sutskever and Hinton 2012, layer by layer as in the paper's figure 2 and section 3:
/// grouped conv2/conv4/conv5 (the two-GPU split), LRN (size 5, α 1e-4, β 0.75, k 2) after ReLU of conv1 and
/// conv2, overlapping 3/2 max pooling, dropout 0.5 after ReLU of fc6 and fc7, 227×227 input.
/// 60,965,224 parameters with 1000 classes.
/// </summary>
public static class PaperAlexNet
{
    public static Network Build(ModelConfig config)
    {
        config = config.Resolve() with { Architecture = Architecture.Paper };
        var w = config.Widths!;
        var layers = new List<Layer>
        {
            new ConvolutionLayer("conv1", config.InputChannels, w.Conv1, kernel: 11, stride: 4),
            new ReluLayer("relu1"), PaperLrn("norm1"), new MaxPoolLayer("pool1", 3, 2),
            new ConvolutionLayer("conv2", w.Conv1, w.Conv2, kernel: 5, padding: 2, groups: 2),
            new ReluLayer("relu2"), PaperLrn("norm2"), new MaxPoolLayer("pool2", 3, 2),
            new ConvolutionLayer("conv3", w.Conv2, w.Conv3, kernel: 3, padding: 1), new ReluLayer("relu3"),
            new ConvolutionLayer("conv4", w.Conv3, w.Conv4, kernel: 3, padding: 1, groups: 2), new ReluLayer("relu4"),
            new ConvolutionLayer("conv5", w.Conv4, w.Conv5, kernel: 3, padding: 1, groups: 2), new ReluLayer("relu5"),
            new MaxPoolLayer("pool5", 3, 2),
            new FlattenLayer("flatten"),
        };
        var features = FeatureLength(layers, config);
        layers.AddRange(
        [
            new LinearLayer("fc6", features, w.Hidden), new ReluLayer("relu6"), new DropoutLayer("drop6", config.DropoutProbability),
            new LinearLayer("fc7", w.Hidden, w.Hidden), new ReluLayer("relu7"), new DropoutLayer("drop7", config.DropoutProbability),
            new LinearLayer("fc8", w.Hidden, config.Classes),
        ]);
        return new Network(config, layers);
    }

    /// <summary>
    /// The paper's initialization (section 5): every weight from N(0, 0.01); biases 1 in conv2, conv4, conv5
    /// and the hidden fully connected layers (to give ReLUs positive inputs early), 0 elsewhere.
    /// </summary>
    public static void Initialize(Network network, ulong seed) =>
        Initialization.Apply(network, seed, (parameter, random) =>
        {
            if (parameter.Role == ParameterRole.Weight)
            {
                Initialization.Normal(parameter, 0.01, random);
                return;
            }
            var layer = parameter.Name[..parameter.Name.IndexOf('.')];
            Initialization.Constant(parameter, layer is "conv2" or "conv4" or "conv5" or "fc6" or "fc7" ? 1f : 0f);
        });

    private static LrnLayer PaperLrn(string name) => new(name, size: 5, alpha: 1e-4f, beta: 0.75f, k: 2f);

    /// <summary>Length of the flattened feature vector for the configured input size.</summary>
    internal static int FeatureLength(IEnumerable<Layer> featureLayers, ModelConfig config)
    {
        var shape = new Shape(config.InputChannels, config.InputSize, config.InputSize);
        try
        {
            foreach (var layer in featureLayers) shape = layer.OutputShape(shape);
        }
        catch (ArgumentException e)
        {
            throw new AlexNetException($"Input size {config.InputSize} is too small for the {config.Architecture.ToName()} architecture: {e.Message}");
        }
        return checked((int)shape.ElementCount);
    }
}
