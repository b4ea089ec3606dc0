using AlexNet.Data;
using AlexNet.Reporting;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Reporting;

public sealed class PredictionCollectorTests
{
    [Fact]
    public void TopFiveAreSoftmaxProbabilitiesInOrder()
    {
        float[] logits = [1f, 3f, 0f, 2f, -1f, 3f, 0.5f];
        var top = PredictionCollector.Top(logits, 5);
        // Hand-computed: exp(l − 3) / Σ exp(l − 3); the tie between classes 1 and 5 goes to the lower index.
        var denominator = logits.Sum(l => Math.Exp(l - 3));
        Assert.Equal([1, 5, 3, 0, 6], top.Select(t => t.Class));
        Assert.Equal(1 / denominator, top[0].Probability, 12);
        Assert.Equal(Math.Exp(-1) / denominator, top[2].Probability, 12);
        Assert.Equal(Math.Exp(-2.5) / denominator, top[4].Probability, 12);
    }

    [Fact]
    public void KeepsASeededSampleAndOnlyWrongPredictionsAsMistakes()
    {
        const int count = 200, classes = 4;
        var preprocessing = new Preprocessing([0.5f], [0.25f], ChannelOrder.Gray, 2);
        PredictionCollector Run()
        {
            var collector = new PredictionCollector(count, 10, 6, preprocessing);
            for (var start = 0; start < count; start += 64)
            {
                var n = Math.Min(64, count - start);
                var labels = Enumerable.Range(start, n).Select(i => i % classes).ToArray();
                var logits = new Tensor(n, classes);
                // Every third image is predicted as the next class, the rest correctly.
                for (var i = 0; i < n; i++) logits.Data[i * classes + ((start + i) % 3 == 0 ? (labels[i] + 1) % classes : labels[i])] = 5;
                collector.Observe(new Batch(new Tensor(n, 1, 2, 2), labels, Enumerable.Range(start, n).ToArray()), logits);
            }
            return collector;
        }
        var first = Run();
        Assert.Equal(10, first.Samples.Count);
        Assert.Equal(6, first.Mistakes.Count);
        Assert.All(first.Mistakes, m => Assert.Equal(0, m.Position % 3));
        Assert.All(first.Mistakes, m => Assert.False(m.Correct));
        Assert.All(first.Samples, s => Assert.Equal(s.Position % 3 != 0, s.Correct));
        Assert.All(first.Samples.Concat(first.Mistakes), s => Assert.Equal(s.Position % classes, s.Label));
        Assert.Empty(first.Samples.Select(s => s.Position).Intersect(first.Mistakes.Select(m => m.Position)));
        Assert.Equal(first.Samples.Select(s => s.Position), Run().Samples.Select(s => s.Position));
        Assert.Equal(first.Mistakes.Select(s => s.Position), Run().Mistakes.Select(s => s.Position));
    }
}
