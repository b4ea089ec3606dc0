using AlexNet.Distributed;

namespace AlexNet.Training;

/// <summary>Puts the ranks' evaluations of their shares of a data set together: sums of losses, hits and confusion counts.</summary>
internal static class GroupEvaluation
{
    public static EvaluationResult Sum(EvaluationResult local, ITrainingGroup group)
    {
        var classes = local.Confusion.Length;
        var values = new double[4 + classes * classes];
        (values[0], values[1], values[2], values[3]) = (local.Loss * local.Count, local.Top1 * local.Count, local.Top5 * local.Count, local.Count);
        for (var row = 0; row < classes; row++)
        {
            for (var column = 0; column < classes; column++) values[4 + row * classes + column] = local.Confusion[row][column];
        }
        group.Sum(values);
        var count = (int)values[3];
        var confusion = Enumerable.Range(0, classes)
            .Select(row => Enumerable.Range(0, classes).Select(column => (int)values[4 + row * classes + column]).ToArray())
            .ToArray();
        var divisor = Math.Max(1, count);
        // Hits were whole numbers before they were divided; rounding undoes the division's error.
        return new EvaluationResult(values[0] / divisor, Math.Round(values[1]) / divisor, Math.Round(values[2]) / divisor, count, confusion);
    }
}
