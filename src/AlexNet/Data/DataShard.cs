namespace AlexNet.Data;

/// <summary>
/// Which part of every batch one process of a data-parallel run takes: rank r of N takes positions
/// [⌊r·n/N⌋, ⌊(r+1)·n/N⌋) of each batch of n samples, in the epoch order all ranks compute alike from (seed,
/// epoch). A full batch of B samples (B a multiple of N) therefore gives every rank B/N samples; only a short last
/// batch splits unevenly, and may leave a rank without any. <see cref="Whole"/> is the single-process case.
/// </summary>
public sealed record DataShard(int Rank, int Ranks)
{
    public static DataShard Whole { get; } = new(0, 1);

    public bool IsWhole => Ranks == 1;

    /// <summary>The part of a batch of <paramref name="batchLength"/> samples this rank takes: where it starts and how many.</summary>
    public (int Start, int Count) Portion(int batchLength)
    {
        var start = (int)((long)Rank * batchLength / Ranks);
        var end = (int)((long)(Rank + 1) * batchLength / Ranks);
        return (start, end - start);
    }

    /// <summary>Samples per full batch on this rank; <paramref name="batchSize"/> must be a multiple of the rank count.</summary>
    public int LocalBatchSize(int batchSize)
    {
        CheckDivides(batchSize, "The batch size");
        return batchSize / Ranks;
    }

    /// <summary>This rank's samples of an epoch: its portion of every batch of <paramref name="batchSize"/>, batch after batch.</summary>
    public int[] LocalOrder(int[] order, int batchSize)
    {
        if (IsWhole) return order;
        CheckDivides(batchSize, "The batch size");
        var local = new List<int>(order.Length / Ranks + batchSize);
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var (offset, count) = Portion(Math.Min(batchSize, order.Length - start));
            local.AddRange(order.AsSpan(start + offset, count));
        }
        return local.ToArray();
    }

    /// <summary>A batch size near <paramref name="preferred"/> that divides evenly over the ranks (evaluation chooses its own).</summary>
    public int EvenBatchSize(int preferred) => Math.Max(Ranks, preferred - preferred % Ranks);

    /// <summary>Throws an error naming <paramref name="what"/> when it does not split evenly over the ranks.</summary>
    public void CheckDivides(int batchSize, string what)
    {
        if (batchSize % Ranks != 0)
        {
            throw new AlexNetException(
                $"{what} {batchSize} does not divide over {Ranks} ranks: it is the global batch, split into equal parts of batch/ranks; " +
                $"choose a multiple of {Ranks} (for example {Math.Max(Ranks, batchSize - batchSize % Ranks)} or {batchSize + Ranks - batchSize % Ranks}).");
        }
    }
}
