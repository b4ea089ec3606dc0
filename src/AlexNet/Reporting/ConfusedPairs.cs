namespace AlexNet.Reporting;

/// <summary>One off-diagonal cell of a confusion matrix: how many images of class True were taken for Predicted.</summary>
public readonly record struct ConfusedPair(int True, int Predicted, int Count, double ShareOfTrue)
{
    /// <summary>
    /// The <paramref name="limit"/> largest off-diagonal counts, largest first (ties by true then predicted
    /// class): what stays readable of a 1000 × 1000 matrix.
    /// </summary>
    public static IReadOnlyList<ConfusedPair> Top(int[][] confusion, int limit)
    {
        var pairs = new List<ConfusedPair>();
        for (var t = 0; t < confusion.Length; t++)
        {
            var total = confusion[t].Sum();
            for (var p = 0; p < confusion[t].Length; p++)
            {
                if (p != t && confusion[t][p] > 0) pairs.Add(new ConfusedPair(t, p, confusion[t][p], (double)confusion[t][p] / total));
            }
        }
        return pairs.OrderByDescending(x => x.Count).ThenBy(x => x.True).ThenBy(x => x.Predicted).Take(limit).ToList();
    }
}
