using AlexNet.Randomness;

namespace AlexNet.Data;

/// <summary>Holds out a seeded random fraction of a training set for validation.</summary>
public static class ValidationSplit
{
    public static (ImageDataset Train, ImageDataset? Validation) HoldOut(ImageDataset data, double fraction, ulong seed)
    {
        var count = (int)Math.Round(data.Count * fraction);
        if (count == 0) return (data, null);
        var order = new RandomStream(seed, 0x5A11D).Permutation(data.Count);
        var validation = order[..count].Order().ToArray();
        var train = order[count..].Order().ToArray();
        return (data.Subset(train, data.Name + "/train"), data.Subset(validation, data.Name + "/val"));
    }
}
