using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Training;

/// <summary>Loss and accuracy of a model on a data set; confusion[true][predicted] counts images.</summary>
public sealed record EvaluationResult(double Loss, double Top1, double Top5, int Count, int[][] Confusion)
{
    /// <summary>Fraction of each true class predicted correctly (NaN for a class without images).</summary>
    public double[] PerClassAccuracy() =>
        Confusion.Select((row, c) => row.Sum() is var total and > 0 ? (double)row[c] / total : double.NaN).ToArray();
}

public static class Evaluation
{
    public static EvaluationResult Evaluate(Network network, ImageDataset data, Preprocessing preprocessing, int batchSize = 500) =>
        Evaluate(network, new InMemoryBatches(data, preprocessing, batchSize, shuffle: false, seed: 0));

    public static EvaluationResult Evaluate(Network network, IBatchProvider data, IBackend? backend = null, CancellationToken cancellation = default)
    {
        using var plan = (backend ?? ManagedBackend.Instance).CreatePlan(network);
        return Evaluate(plan, network.Config.Classes, data, cancellation);
    }

    /// <param name="observe">Sees each batch with its logits, in order, before the next batch is read (a report keeps a few predictions).</param>
    public static EvaluationResult Evaluate(IExecutionPlan plan, int classes, IBatchProvider data, CancellationToken cancellation = default,
        Action<Batch, Tensor>? observe = null)
    {
        var confusion = Enumerable.Range(0, classes).Select(_ => new int[classes]).ToArray();
        double lossSum = 0;
        int top1 = 0, top5 = 0, seen = 0;
        foreach (var batch in data.Epoch(0, cancellation))
        {
            seen += batch.Labels.Length;
            var logits = plan.Forward(batch.Images, ForwardContext.Inference);
            observe?.Invoke(batch, logits);
            lossSum += SoftmaxCrossEntropy.Loss(logits, batch.Labels, null) * (double)batch.Labels.Length;
            for (var n = 0; n < batch.Labels.Length; n++)
            {
                var label = batch.Labels[n];
                var predicted = ArgMax(logits.Data.AsSpan(n * classes, classes));
                confusion[label][predicted]++;
                if (predicted == label) top1++;
                if (SoftmaxCrossEntropy.InTopK(logits, n, label, Math.Min(5, classes))) top5++;
            }
        }
        // Counted as seen: a data-parallel rank's provider yields only its share of the data set.
        var count = Math.Max(1, seen);
        return new EvaluationResult(lossSum / count, (double)top1 / count, (double)top5 / count, seen, confusion);
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }
}
