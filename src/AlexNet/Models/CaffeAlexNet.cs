using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// Caffe's two AlexNets with Caffe's layer names (conv1, norm1, pool1 … fc8), so that a .caffemodel's
/// blobs map one to one: bvlc_alexnet (<see cref="Architecture.Caffe"/>: the paper's conv → ReLU → LRN → pool)
/// and bvlc_reference_caffenet (<see cref="Architecture.CaffeNet"/>: conv → ReLU → pool → LRN). Both use
/// Caffe's LRN default k = 1 instead of the paper's 2, groups 2 in conv2/conv4/conv5 and 227×227 input.
/// </summary>
/// <remarks>
/// Caffe rounds pooling output sizes up where PyTorch and this toolkit round down; with 227×227 input every
/// pooling window fits exactly (55 → 27 → 13 → 6), so the two agree at Caffe's own input size.
/// </remarks>
public static class CaffeAlexNet
{
    public static Network Build(ModelConfig config)
    {
        if (config.Architecture is not (Architecture.Caffe or Architecture.CaffeNet))
        {
            throw new ArgumentException($"{config.Architecture} is not a Caffe architecture.", nameof(config));
        }
        return AlexNetStack.Build(config.Resolve(), conv1Kernel: 11, conv1Stride: 4, conv1Padding: 0, lrnK: 1f,
            poolBeforeNorm: config.Architecture == Architecture.CaffeNet);
    }

    /// <summary>
    /// The fillers of Caffe's bvlc_alexnet train_val.prototxt: weights N(0, 0.01), except fc6/fc7 N(0, 0.005);
    /// biases 0.1 where the paper uses 1 (conv2, conv4, conv5, fc6, fc7), 0 elsewhere.
    /// </summary>
    public static void Initialize(Network network, ulong seed) =>
        Initialization.Apply(network, seed, (parameter, random) =>
        {
            var layer = parameter.Name[..parameter.Name.IndexOf('.')];
            if (parameter.Role == ParameterRole.Weight)
            {
                Initialization.Normal(parameter, layer is "fc6" or "fc7" ? 0.005 : 0.01, random);
                return;
            }
            Initialization.Constant(parameter, layer is "conv2" or "conv4" or "conv5" or "fc6" or "fc7" ? 0.1f : 0f);
        });
}
