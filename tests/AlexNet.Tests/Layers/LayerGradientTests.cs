using AlexNet.Layers;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Layers;

/// <summary>Every layer against central differences of its own forward pass.</summary>
public sealed class LayerGradientTests
{
    private static Tensor Input(int seed, params int[] shape) => TensorAssert.Random(new Random(seed), shape);

    private static void Randomize(Layer layer, int seed)
    {
        var random = new Random(seed);
        foreach (var p in layer.Parameters)
        {
            for (var i = 0; i < p.Value.Length; i++) p.Value.Data[i] = (float)(random.NextDouble() - 0.5);
        }
    }

    [Theory]
    [InlineData(1, 4, 6, 3, 1, 1, 2, 7)]
    [InlineData(3, 3, 4, 5, 3, 0, 1, 13)]
    [InlineData(2, 6, 6, 3, 2, 1, 3, 9)]
    [InlineData(1, 2, 4, 1, 1, 0, 2, 5)]
    public void Convolution(int batch, int inChannels, int outChannels, int kernel, int stride, int padding, int groups, int size)
    {
        var layer = new ConvolutionLayer("conv", inChannels, outChannels, kernel, stride, padding, groups);
        Randomize(layer, 1);
        GradientCheck.Check(layer, Input(2, batch, inChannels, size, size + 1));
    }

    [Fact]
    public void ReluAwayFromTheKink()
    {
        var input = Input(3, 2, 3, 4, 5);
        for (var i = 0; i < input.Length; i++)
        {
            if (Math.Abs(input.Data[i]) < 0.05f) input.Data[i] = 0.5f;
        }
        GradientCheck.Check(new ReluLayer("relu"), input);
    }

    [Theory]
    [InlineData(5, 1e-4f, 0.75f, 2f, 10f)]
    [InlineData(3, 0.5f, 0.75f, 1f, 1f)]
    [InlineData(4, 0.9f, 0.6f, 1.5f, 1f)]
    public void LocalResponseNormalization(int size, float alpha, float beta, float k, float inputScale)
    {
        var input = Input(4, 2, 7, 3, 4);
        for (var i = 0; i < input.Length; i++) input.Data[i] *= inputScale;
        GradientCheck.Check(new LrnLayer("lrn", size, alpha, beta, k), input, step: 1e-2f * inputScale);
    }

    [Fact]
    public void MaxPoolingWithDistinctValues()
    {
        // Values 0.1 apart: a 1e-3 step never changes which element wins a window.
        var order = new RandomStreamOrder(5).Next(2 * 3 * 9 * 9);
        var input = new Tensor(2, 3, 9, 9);
        for (var i = 0; i < input.Length; i++) input.Data[i] = order[i] * 0.1f;
        GradientCheck.Check(new MaxPoolLayer("pool", 3, 2), input, step: 1e-3f);
    }

    [Theory]
    [InlineData(13, 11)]
    [InlineData(5, 4)]
    public void AdaptiveAveragePooling(int h, int w) =>
        GradientCheck.Check(new AdaptiveAvgPoolLayer("avgpool", 6, 6), Input(6, 2, 3, h, w));

    [Fact]
    public void DropoutWithAFixedMask() =>
        GradientCheck.Check(new DropoutLayer("drop", 0.5f), Input(7, 3, 20), new ForwardContext(true, 5, 9));

    [Fact]
    public void Linear()
    {
        var layer = new LinearLayer("fc", 10, 7);
        Randomize(layer, 8);
        GradientCheck.Check(layer, Input(9, 3, 10));
    }

    [Theory]
    [InlineData(3, 4, 3, 5, 0.1f, 1e-5f)] // per channel after a convolution (BatchNorm2d)
    [InlineData(2, 3, 1, 2, 0.01f, 1e-3f)]
    [InlineData(5, 6, 0, 0, 0.01f, 1e-3f)] // per feature after a dense layer (BatchNorm1d)
    public void BatchNormalizationWithBatchStatistics(int batch, int channels, int height, int width, float momentum, float epsilon)
    {
        var layer = new BatchNormLayer("bn", channels, momentum, epsilon);
        Randomize(layer, 12);
        int[] shape = height == 0 ? [batch, channels] : [batch, channels, height, width];
        // The step moves the batch mean and variance too: the check covers the gradient through the statistics.
        GradientCheck.Check(layer, Input(13, shape));
    }

    [Fact]
    public void Flatten() => GradientCheck.Check(new FlattenLayer("flatten"), Input(10, 2, 3, 2, 2));

    [Fact]
    public void SoftmaxCrossEntropyGradient()
    {
        var logits = Input(11, 4, 6);
        int[] labels = [0, 5, 2, 2];
        var gradient = new Tensor(logits.Shape);
        SoftmaxCrossEntropy.Loss(logits, labels, gradient);
        for (var i = 0; i < logits.Length; i++)
        {
            var original = logits.Data[i];
            logits.Data[i] = original + 1e-2f;
            var plus = SoftmaxCrossEntropy.Loss(logits, labels, null);
            logits.Data[i] = original - 1e-2f;
            var minus = SoftmaxCrossEntropy.Loss(logits, labels, null);
            logits.Data[i] = original;
            Assert.InRange(gradient.Data[i], (plus - minus) / 2e-2 - 1e-3, (plus - minus) / 2e-2 + 1e-3);
        }
    }

    [Fact]
    public void BackwardBeforeForwardThrows()
    {
        var layer = new ConvolutionLayer("conv9", 2, 2, 3);
        var error = Assert.Throws<InvalidOperationException>(() => layer.Backward(new Tensor(1, 2, 3, 3)));
        Assert.Contains("conv9", error.Message);
    }

    /// <summary>A seeded permutation, so that pooled values are distinct and reproducible.</summary>
    private sealed class RandomStreamOrder(ulong seed)
    {
        public int[] Next(int count) => new AlexNet.Randomness.RandomStream(seed).Permutation(count);
    }
}
