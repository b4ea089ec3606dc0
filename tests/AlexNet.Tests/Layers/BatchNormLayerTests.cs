using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tensors;
using AlexNet.Tests.Parity;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>
/// What batch normalization keeps between passes: running statistics that training forward passes update, inference
/// reads and no optimizer touches.
/// </summary>
public sealed class BatchNormLayerTests
{
    [Fact]
    public void InferenceReadsTheRunningStatisticsAndChangesNothing()
    {
        var layer = new BatchNormLayer("bn", 2, momentum: 0.5f, epsilon: 1e-3f);
        (layer.RunningMean.Value.Data[0], layer.RunningMean.Value.Data[1]) = (1f, -2f);
        (layer.RunningVariance.Value.Data[0], layer.RunningVariance.Value.Data[1]) = (4f, 0.25f);
        (layer.Weight.Value.Data[0], layer.Bias.Value.Data[1]) = (3f, 0.5f);
        var y = layer.Forward(new Tensor(new Shape(1, 2), [5f, -1f]), ForwardContext.Inference);
        Assert.Equal(3f * (5 - 1) / MathF.Sqrt(4 + 1e-3f), y.Data[0], 5);
        Assert.Equal((-1 + 2) / MathF.Sqrt(0.25f + 1e-3f) + 0.5f, y.Data[1], 5);
        Assert.Equal([1f, -2f], layer.RunningMean.Value.Data);
        Assert.Equal([4f, 0.25f], layer.RunningVariance.Value.Data);
    }

    [Fact]
    public void ATrainingPassFoldsTheBatchIntoTheRunningStatistics()
    {
        var layer = new BatchNormLayer("bn", 1, momentum: 0.1f);
        layer.Forward(new Tensor(new Shape(4, 1), [1f, 2f, 3f, 6f]), new ForwardContext(true));
        Assert.Equal(0.1f * 3f, layer.RunningMean.Value.Data[0], 6);
        // Unbiased variance of (1, 2, 3, 6): 14 / 3.
        Assert.Equal(0.9f + 0.1f * 14f / 3f, layer.RunningVariance.Value.Data[0], 5);
        Assert.Equal(3f, layer.BatchMean[0]);
        Assert.Equal(3.5f, layer.BatchVariance[0], 6);
    }

    [Fact]
    public void TrainingOnOneValuePerChannelIsRefusedNamingTheLayer()
    {
        var layer = new BatchNormLayer("bn7", 3);
        var error = Assert.Throws<ArgumentException>(() => layer.Forward(new Tensor(1, 3), new ForwardContext(true)));
        Assert.Contains("bn7", error.Message);
        Assert.Contains("more than one value per channel", error.Message);
        // Inference of a single image is fine.
        Assert.Equal(new Shape(1, 3), layer.Forward(new Tensor(1, 3), ForwardContext.Inference).Shape);
    }

    [Fact]
    public void InputsOfAnotherChannelCountAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchNormLayer("bn2", 4).Forward(new Tensor(2, 3, 2, 2), ForwardContext.Inference));
        Assert.Contains("bn2", error.Message);
        Assert.Contains("(4, H, W)", error.Message);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void OptimizersTrainGammaAndBetaButNeverTouchTheRunningStatistics(string kind)
    {
        var network = KerasFixtureCheck.Build();
        Assert.DoesNotContain(network.Parameters, p => p.Name.Contains("running", StringComparison.Ordinal));
        Assert.Equal(36 + 18, network.StoredTensors.Count());
        Optimizer optimizer = kind == "adam"
            ? new AdamOptimizer(network.Parameters, 0.01, new AdamOptions(WeightDecay: 0.1))
            : new SgdOptimizer(network.Parameters, 0.1, new SgdOptions(0.9, WeightDecay: 0.1));
        var random = new Random(4);
        var input = TensorAssert.Random(random, network.InputShape.WithBatch(4).ToArray());
        network.TryGetParameter("bn3.weight", out var gamma);
        for (var step = 0; step < 2; step++)
        {
            network.ZeroGradients();
            var logits = network.Forward(input, new ForwardContext(true));
            var gradient = new Tensor(logits.Shape);
            SoftmaxCrossEntropy.Loss(logits, [0, 1, 2, 3], gradient);
            network.Backward(gradient);
            var statistics = network.Statistics.Select(s => s.Value.Clone()).ToList();
            var gammaBefore = gamma.Value.Clone();
            optimizer.Step();
            for (var i = 0; i < statistics.Count; i++) Assert.Equal(statistics[i].Data, network.Statistics[i].Value.Data);
            Assert.NotEqual(gammaBefore.Data, gamma.Value.Data);
        }
        Assert.DoesNotContain(optimizer.StateTensors(), t => t.Key.Contains("running", StringComparison.Ordinal));
    }
}
