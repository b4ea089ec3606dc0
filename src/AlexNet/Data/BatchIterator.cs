using AlexNet.Randomness;
using AlexNet.Tensors;

namespace AlexNet.Data;

/// <summary>One mini-batch: normalized images (N, C, H, W) and their labels.</summary>
public sealed record Batch(Tensor Images, int[] Labels, int[] Indices);

/// <summary>
/// Cuts a data set into mini-batches, shuffled per epoch from RandomStream(seed, epoch) so that a run
/// resumed at epoch e sees exactly the order the uninterrupted run would have seen.
/// </summary>
public static class BatchIterator
{
    public static int[] EpochOrder(int count, ulong seed, int epoch, bool shuffle) =>
        shuffle ? new RandomStream(seed, 0xE90C, (ulong)epoch).Permutation(count) : Enumerable.Range(0, count).ToArray();

    public static IEnumerable<Batch> Batches(ImageDataset data, Preprocessing preprocessing, int batchSize, int[] order, bool dropLast = false)
    {
        if (batchSize <= 0) throw new AlexNetException($"The batch size must be at least 1, got {batchSize}.");
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var count = Math.Min(batchSize, order.Length - start);
            if (count < batchSize && dropLast) yield break;
            var images = new Tensor(count, data.Channels, data.Height, data.Width);
            var labels = new int[count];
            var indices = order[start..(start + count)];
            for (var i = 0; i < count; i++)
            {
                preprocessing.Apply(data.Image(indices[i]), images, i);
                labels[i] = data.Labels[indices[i]];
            }
            yield return new Batch(images, labels, indices);
        }
    }
}
