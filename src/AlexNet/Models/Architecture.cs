namespace AlexNet.Models;

/// <summary>The AlexNet variants the toolkit builds.</summary>
public enum Architecture
{
    /// <summary>Krizhevsky, Sutskever and Hinton 2012: LRN, groups 2, 227×227 input.</summary>
    Paper,

    /// <summary>torchvision's "one weird trick" AlexNet: no LRN, no groups, adaptive pooling, 224×224.</summary>
    Torchvision,

    /// <summary>AlexNet's structure sized for 28–32 px images (Fashion-MNIST, CIFAR-10).</summary>
    Mini,

    /// <summary>
    /// Caffe's bvlc_alexnet: the paper's layers, groups and 227×227 input, with Caffe's LRN (k = 1) after ReLU
    /// and before pooling. Imported Caffe weights expect BGR input with Caffe's mean.
    /// </summary>
    Caffe,

    /// <summary>
    /// Caffe's bvlc_reference_caffenet: <see cref="Caffe"/> with pooling before normalization in blocks 1 and 2.
    /// A layer order, not a setting, so it is its own architecture: a checkpoint names it and nothing else.
    /// </summary>
    CaffeNet,

    /// <summary>
    /// The AlexNet of the Keras CIFAR-10 tutorials: 32×32 input, the paper's five convolution widths with Keras 'same'
    /// padding, batch normalization after every convolution and dense layer, 2×2 pooling, dense 4096/4096/1000 with
    /// dropout 0.4, and a batch-normalized dense 10 before the softmax.
    /// </summary>
    KerasCifar10,
}

public static class ArchitectureNames
{
    public static string ToName(this Architecture architecture) =>
        architecture == Architecture.KerasCifar10 ? "keras-cifar10" : architecture.ToString().ToLowerInvariant();

    /// <summary>
    /// Architectures for small images (28–32 px): they take the data's own channel count (1 for Fashion-MNIST) and
    /// are fed without the paper's 256-pixel rescale and crops.
    /// </summary>
    public static bool TakesSmallImages(this Architecture architecture) => architecture is Architecture.Mini or Architecture.KerasCifar10;

    /// <summary>Parses a user-given name, with an error that lists the valid names.</summary>
    public static Architecture Parse(string name)
    {
        foreach (var architecture in Enum.GetValues<Architecture>())
        {
            if (architecture.ToName() == name.Trim().ToLowerInvariant()) return architecture;
        }
        throw new AlexNetException($"Unknown architecture '{name}'. Choose one of: {string.Join(", ", Enum.GetValues<Architecture>().Select(a => a.ToName()))}.");
    }
}
