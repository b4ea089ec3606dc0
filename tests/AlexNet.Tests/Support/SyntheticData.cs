using AlexNet.Data;
using AlexNet.Randomness;

namespace AlexNet.Tests.Support;

/// <summary>
/// Small learnable image sets: each class is a bright square in its own cell of a 4×4 grid, on noise
/// (up to 16 classes).
/// </summary>
public static class SyntheticData
{
    public static ImageDataset Squares(int count, int classes = 4, int size = 28, ulong seed = 1)
    {
        var random = new RandomStream(seed);
        var pixels = new byte[count * size * size];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            var label = random.NextInt(classes);
            labels[n] = label;
            var cell = size / 4;
            var (top, left) = (label / 4 * cell + 1, label % 4 * cell + 1);
            for (var i = 0; i < size * size; i++) pixels[n * size * size + i] = (byte)random.NextInt(60);
            for (var y = top; y < top + cell - 2; y++)
            for (var x = left; x < left + cell - 2; x++) pixels[n * size * size + y * size + x] = (byte)(180 + random.NextInt(70));
        }
        return new ImageDataset("squares", pixels, labels, 1, size, size, Enumerable.Range(0, classes).Select(c => $"square{c}").ToArray());
    }
}
