using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// The AlexNet that Keras tutorials train on CIFAR-10, layer for layer:
/// conv 96 11×11 stride 4, 256 5×5, 384 3×3, 384 3×3, 256 3×3, each followed by batch normalization and ReLU, with 2×2
/// max pooling (stride 2) after conv1, conv2 and conv5, and Keras 'same' padding throughout; then dense 4096, 4096 and
/// 1000, each with batch normalization, ReLU and dropout 0.4; then dense 10 with batch normalization, whose output are
/// the logits (the softmax is the loss's). 32 px: 32 → 8 → 4 → 4 → 2 → 2 → 1 spatially.
/// 'same' padding pads a strided convolution unequally, the odd pixel after the data as TensorFlow does (conv1 at 32 px:
/// 3 before, 4 after). Keras's BatchNormalization(momentum=0.99, epsilon=1e-3) is PyTorch's momentum 0.01.
/// </summary>
public static class KerasCifar10
{
    /// <summary>PyTorch's momentum for Keras's 0.99: the weight of a new batch in the running statistics.</summary>
    public const float BatchNormMomentum = 0.01f;

    /// <summary>Keras's BatchNormalization default epsilon.</summary>
    public const float BatchNormEpsilon = 1e-3f;

    public static Network Build(ModelConfig config)
    {
        config = config.Resolve() with { Architecture = Architecture.KerasCifar10 };
        var w = config.Widths!;
        var size = config.InputSize;
        var layers = new List<Layer>();

        void Convolution(int index, int inChannels, int outChannels, int kernel, int stride)
        {
            var (before, after, output) = SamePadding(size, kernel, stride);
            layers.Add(new ConvolutionLayer($"conv{index}", inChannels, outChannels, kernel, stride, before, paddingEnd: after));
            layers.Add(new BatchNormLayer($"bn{index}", outChannels, BatchNormMomentum, BatchNormEpsilon));
            layers.Add(new ReluLayer($"relu{index}"));
            size = output;
        }

        void Pool(int index)
        {
            // 'same' 2×2/2 pooling equals 'valid' on even sizes; odd ones would need a padded window.
            if (size % 2 != 0)
            {
                throw new AlexNetException(
                    $"Input size {config.InputSize} does not suit keras-cifar10: pool{index} would see {size}×{size}, and its 2×2 windows need an even size (32, 64, 96 … work).");
            }
            layers.Add(new MaxPoolLayer($"pool{index}", 2, 2));
            size /= 2;
        }

        void Dense(int index, int inFeatures, int outFeatures, bool hidden)
        {
            layers.Add(new LinearLayer($"fc{index}", inFeatures, outFeatures));
            layers.Add(new BatchNormLayer($"bn{index}", outFeatures, BatchNormMomentum, BatchNormEpsilon));
            if (!hidden) return;
            layers.Add(new ReluLayer($"relu{index}"));
            layers.Add(new DropoutLayer($"drop{index}", config.Dropout));
        }

        Convolution(1, config.InputChannels, w.Conv1, kernel: 11, stride: 4);
        Pool(1);
        Convolution(2, w.Conv1, w.Conv2, kernel: 5, stride: 1);
        Pool(2);
        Convolution(3, w.Conv2, w.Conv3, kernel: 3, stride: 1);
        Convolution(4, w.Conv3, w.Conv4, kernel: 3, stride: 1);
        Convolution(5, w.Conv4, w.Conv5, kernel: 3, stride: 1);
        Pool(5);
        layers.Add(new FlattenLayer("flatten"));
        Dense(6, w.Conv5 * size * size, w.Hidden, hidden: true);
        Dense(7, w.Hidden, w.Hidden, hidden: true);
        Dense(8, w.Hidden, w.LastHidden, hidden: true);
        Dense(9, w.LastHidden, config.Classes, hidden: false);
        return new Network(config, layers);
    }

    /// <summary>
    /// TensorFlow's 'same' padding for one axis: the output is ⌈size / stride⌉ and the padding needed for it is split
    /// with the odd pixel after the data.
    /// </summary>
    public static (int Before, int After, int Output) SamePadding(int size, int kernel, int stride)
    {
        var output = (size + stride - 1) / stride;
        var total = Math.Max((output - 1) * stride + kernel - size, 0);
        return (total / 2, total - total / 2, output);
    }

    /// <summary>
    /// Keras's defaults: Glorot-uniform kernels (U(±√(6 / (fan_in + fan_out))), receptive field included), zero biases,
    /// batch normalization with γ = 1 and β = 0 (running mean 0 and variance 1 from construction).
    /// </summary>
    public static void Initialize(Network network, ulong seed)
    {
        var normalization = network.Layers.OfType<BatchNormLayer>().SelectMany(l => l.Parameters).ToHashSet();
        Initialization.Apply(network, seed, (parameter, random) =>
        {
            if (normalization.Contains(parameter)) Initialization.Constant(parameter, parameter.Role == ParameterRole.Weight ? 1f : 0f);
            else if (parameter.Role == ParameterRole.Bias) Initialization.Constant(parameter, 0f);
            else Initialization.GlorotUniform(parameter, random);
        });
    }
}
