using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// Krizhevsky, Sutskever and Hinton 2012, layer by layer as in the paper's figure 2 and section 3:
/// conv1 11×11 stride 4 on 227×227 input, then the stack of <see cref="AlexNetStack"/> (grouped
/// conv2/conv4/conv5, LRN after ReLU of conv1 and conv2, overlapping pooling, dropout 0.5 after ReLU of fc6
/// and fc7). 60,965,224 parameters with 1000 classes.
/// </summary>
public static class PaperAlexNet
{
    public static Network Build(ModelConfig config) =>
        AlexNetStack.Build(config.Resolve() with { Architecture = Architecture.Paper }, conv1Kernel: 11, conv1Stride: 4, conv1Padding: 0);

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
}
