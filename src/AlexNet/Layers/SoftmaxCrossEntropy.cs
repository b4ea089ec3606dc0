using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>
/// Mean cross-entropy of softmax(logits) against integer labels (PyTorch's CrossEntropyLoss, reduction
/// mean), computed with the log-sum-exp shift for stability. Gradient: (softmax − one_hot) / N.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <param name="gradientBatch">
    /// The N the gradient divides by: the batch itself, or in data-parallel training the global batch this one is a
    /// slice of, so that the slices' gradients add up to the global batch's (the returned loss stays this batch's mean).
    /// </param>
    public static float Loss(Tensor logits, ReadOnlySpan<int> labels, Tensor? gradient, int? gradientBatch = null)
    {
        if (logits.Shape.Rank != 2) throw new ArgumentException($"Logits must be (N, classes), got {logits.Shape}.");
        var (batch, classes) = (logits.Shape[0], logits.Shape[1]);
        if (labels.Length != batch) throw new ArgumentException($"{labels.Length} labels for a batch of {batch}.");
        var divisor = gradientBatch ?? batch;
        var total = 0.0;
        Span<double> probabilities = classes <= 4096 ? stackalloc double[classes] : new double[classes];
        for (var n = 0; n < batch; n++)
        {
            var label = labels[n];
            if ((uint)label >= (uint)classes) throw new ArgumentException($"Label {label} of sample {n} is outside 0..{classes - 1}.");
            var row = logits.Data.AsSpan(n * classes, classes);
            var max = double.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            var sum = 0.0;
            for (var c = 0; c < classes; c++)
            {
                probabilities[c] = Math.Exp(row[c] - max);
                sum += probabilities[c];
            }
            total += Math.Log(sum) + max - row[label];
            if (gradient is null) continue;
            var g = gradient.Data.AsSpan(n * classes, classes);
            for (var c = 0; c < classes; c++)
            {
                g[c] = (float)((probabilities[c] / sum - (c == label ? 1 : 0)) / divisor);
            }
        }
        return (float)(total / batch);
    }

    /// <summary>Softmax of each row, in place into a new tensor.</summary>
    public static Tensor Softmax(Tensor logits)
    {
        var (batch, classes) = (logits.Shape[0], logits.Shape[1]);
        var result = new Tensor(logits.Shape);
        for (var n = 0; n < batch; n++)
        {
            var row = logits.Data.AsSpan(n * classes, classes);
            var output = result.Data.AsSpan(n * classes, classes);
            var max = float.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            var sum = 0.0;
            for (var c = 0; c < classes; c++) sum += output[c] = MathF.Exp(row[c] - max);
            for (var c = 0; c < classes; c++) output[c] = (float)(output[c] / sum);
        }
        return result;
    }

    /// <summary>Whether the label is among the k largest logits of row n (ties count against the label).</summary>
    public static bool InTopK(Tensor logits, int n, int label, int k)
    {
        var classes = logits.Shape[1];
        var row = logits.Data.AsSpan(n * classes, classes);
        var target = row[label];
        var better = 0;
        for (var c = 0; c < classes; c++)
        {
            if (row[c] > target || (row[c] == target && c < label)) better++;
        }
        return better < k;
    }
}
