using AlexNet.Data.Images;
using AlexNet.Data.Sources;
using AlexNet.Training;

namespace AlexNet.Inference;

/// <summary>
/// The paper's test-time evaluation: softmax averaged over ten patches of each image. The loss is the mean of
/// −log(averaged probability of the true class), so it is comparable with single-crop cross-entropy.
/// </summary>
public static class TenCropEvaluation
{
    /// <summary>Images loaded and predicted together; the forward passes are ten times larger.</summary>
    private const int ImagesPerChunk = 64;

    public static EvaluationResult Evaluate(Predictor predictor, ISampleSource source, int workers, CancellationToken cancellation = default)
    {
        var classes = predictor.ClassNames.Count;
        var confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        double lossSum = 0;
        int top1 = 0, top5 = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = workers > 0 ? workers : Environment.ProcessorCount, CancellationToken = cancellation };
        for (var start = 0; start < source.Count; start += ImagesPerChunk)
        {
            var count = Math.Min(ImagesPerChunk, source.Count - start);
            var images = new Image[count];
            Parallel.For(0, count, parallel, i => images[i] = source.Load(start + i, predictor.Crops.Channels));
            var probabilities = predictor.Probabilities(images, tenCrop: true);
            for (var i = 0; i < count; i++)
            {
                var label = source.Label(start + i);
                var row = probabilities[i];
                var predicted = Evaluation.ArgMax(row);
                confusion[label][predicted]++;
                lossSum -= Math.Log(Math.Max(row[label], float.Epsilon));
                if (predicted == label) top1++;
                if (Rank(row, label) < Math.Min(5, classes)) top5++;
            }
        }
        var total = Math.Max(1, source.Count);
        return new EvaluationResult(lossSum / total, (double)top1 / total, (double)top5 / total, source.Count, confusion);
    }

    /// <summary>How many classes beat the label (ties count against it, as in single-crop evaluation).</summary>
    private static int Rank(float[] row, int label)
    {
        var better = 0;
        for (var c = 0; c < row.Length; c++)
        {
            if (row[c] > row[label] || (row[c] == row[label] && c < label)) better++;
        }
        return better;
    }
}
