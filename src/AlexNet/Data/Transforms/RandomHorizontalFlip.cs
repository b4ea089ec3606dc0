using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// Mirrors the image left–right with probability <see cref="Probability"/> (the paper's "horizontal
/// reflections"). Always draws exactly one number from the stream, so later draws do not depend on p.
/// </summary>
public sealed class RandomHorizontalFlip : IImageTransform
{
    public RandomHorizontalFlip(double probability = 0.5)
    {
        if (!(probability is >= 0 and <= 1)) throw new AlexNetException($"RandomHorizontalFlip needs a probability in [0, 1], got {probability}.");
        Probability = probability;
    }

    public double Probability { get; }

    public Image Apply(Image image, RandomStream random) =>
        random.NextDouble() < Probability ? ImageRegions.FlipHorizontal(image) : image;

    public override string ToString() => $"RandomHorizontalFlip({Probability})";
}
