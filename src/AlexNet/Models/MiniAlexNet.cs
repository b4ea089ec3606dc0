using AlexNet.Tensors;

namespace AlexNet.Models;

/// <summary>
/// AlexNet's structure for 28–32 px images (<see cref="AlexNetStack"/>: five convolutions with conv2, conv4,
/// conv5 grouped, LRN after conv1 and conv2, three overlapping 3/2 max pools, three fully connected layers
/// with dropout). conv1 is 5×5 stride 1 instead of 11×11 stride 4 because the images are 8× smaller; widths
/// are 32/64/96/96/64 and 512 hidden units (about 0.5 M parameters, 9.8 M multiply-adds per 28×28 image), so
/// that an epoch of Fashion-MNIST takes about two minutes on two cores. 28 px: 28 → 13 → 6 → 2 spatially.
/// </summary>
public static class MiniAlexNet
{
    public static Network Build(ModelConfig config) =>
        AlexNetStack.Build(config.Resolve() with { Architecture = Architecture.Mini }, conv1Kernel: 5, conv1Stride: 1, conv1Padding: 2);

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
}
