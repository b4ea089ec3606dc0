using AlexNet.Data;
using AlexNet.Randomness;
using AlexNet.Tensors;
using AlexNet.Training;

namespace AlexNet.Reporting;

/// <summary>
/// Watches an evaluation pass and keeps a few predictions with thumbnails: every image is given a random
/// rank from a fixed seed, the <c>samples</c> lowest ranks are the random sample, and the <c>mistakes</c>
/// lowest-ranked misclassified images outside it are the error sample. Only the kept images are copied, so a
/// pass over 50,000 images holds a few dozen thumbnails; the choice depends only on the data, never on timing.
/// </summary>
public sealed class PredictionCollector
{
    /// <summary>Stream constants of the ranking, so the sample is the same for every report of the same data.</summary>
    private const ulong RankingSeed = 2012, RankingStream = 0x5E1EC7;

    private const int TopK = 5;

    private readonly int[] _rank;
    private readonly int _samples;
    private readonly int _mistakes;
    private readonly Preprocessing _preprocessing;
    private readonly SortedList<int, SamplePrediction> _sampled = [];
    private readonly SortedList<int, SamplePrediction> _wrong = [];
    private int _position;

    public PredictionCollector(int count, int samples, int mistakes, Preprocessing preprocessing)
    {
        var order = new RandomStream(RankingSeed, RankingStream).Permutation(count);
        _rank = new int[count];
        for (var r = 0; r < count; r++) _rank[order[r]] = r;
        (_samples, _mistakes, _preprocessing) = (samples, mistakes, preprocessing);
    }

    /// <summary>The random sample, in rank order.</summary>
    public IReadOnlyList<SamplePrediction> Samples => [.. _sampled.Values];

    /// <summary>The misclassified sample, in rank order.</summary>
    public IReadOnlyList<SamplePrediction> Mistakes => [.. _wrong.Values];

    /// <summary>Called once per batch, in evaluation order, with the batch and its logits (N, classes).</summary>
    public void Observe(Batch batch, Tensor logits)
    {
        var classes = logits.Shape[1];
        for (var n = 0; n < batch.Labels.Length; n++, _position++)
        {
            if (_position >= _rank.Length) throw new InvalidOperationException($"The evaluation yielded more than the {_rank.Length} images it announced.");
            var rank = _rank[_position];
            var row = logits.Data.AsSpan(n * classes, classes);
            if (rank < _samples)
            {
                _sampled.Add(rank, Predict(batch, n, row));
                continue;
            }
            if (_mistakes == 0 || Evaluation.ArgMax(row) == batch.Labels[n]) continue;
            if (_wrong.Count == _mistakes && rank > _wrong.Keys[^1]) continue;
            _wrong.Add(rank, Predict(batch, n, row));
            if (_wrong.Count > _mistakes) _wrong.RemoveAt(_wrong.Count - 1);
        }
    }

    private SamplePrediction Predict(Batch batch, int slot, ReadOnlySpan<float> logits) =>
        new(_position, batch.Labels[slot], Thumbnail.FromInput(batch.Images, slot, _preprocessing), Top(logits, TopK));

    /// <summary>The k most probable classes under softmax, most probable first; ties go to the lower class index.</summary>
    public static IReadOnlyList<ClassProbability> Top(ReadOnlySpan<float> logits, int k)
    {
        var max = double.NegativeInfinity;
        foreach (var v in logits) max = Math.Max(max, v);
        var sum = 0.0;
        foreach (var v in logits) sum += Math.Exp(v - max);
        var best = new List<ClassProbability>(k + 1);
        for (var c = 0; c < logits.Length; c++)
        {
            var p = Math.Exp(logits[c] - max) / sum;
            var at = best.FindIndex(e => p > e.Probability);
            if (at < 0)
            {
                if (best.Count < k) best.Add(new ClassProbability(c, p));
                continue;
            }
            best.Insert(at, new ClassProbability(c, p));
            if (best.Count > k) best.RemoveAt(k);
        }
        return best;
    }
}
