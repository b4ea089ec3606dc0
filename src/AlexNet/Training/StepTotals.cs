using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Training;

/// <summary>
/// A training step's figures as the ranks of a data-parallel run sum them: loss sum, top-1 and top-5 hits, images,
/// and whether any rank was asked to stop. They travel as doubles in one small reduction after the gradients.
/// </summary>
internal readonly record struct StepTotals(double LossSum, long Correct, long CorrectTop5, long Seen, bool StopRequested)
{
    public const int LossIndex = 0, CorrectIndex = 1, Top5Index = 2, SeenIndex = 3, StopIndex = 4, Length = 5;

    public StepTotals(double[] totals)
        : this(totals[LossIndex], (long)totals[CorrectIndex], (long)totals[Top5Index], (long)totals[SeenIndex], totals[StopIndex] > 0)
    {
    }

    /// <summary>Fills a rank's part: the loss of its slice times its size, and its hits.</summary>
    public static void Count(Tensor logits, int[] labels, float loss, double[] totals)
    {
        var classes = logits.Shape[1];
        int correct = 0, correctTop5 = 0;
        for (var n = 0; n < labels.Length; n++)
        {
            if (Evaluation.ArgMax(logits.Data.AsSpan(n * classes, classes)) == labels[n]) correct++;
            if (SoftmaxCrossEntropy.InTopK(logits, n, labels[n], Math.Min(5, classes))) correctTop5++;
        }
        totals[LossIndex] = loss * (double)labels.Length;
        totals[CorrectIndex] = correct;
        totals[Top5Index] = correctTop5;
        totals[SeenIndex] = labels.Length;
    }
}
