using AlexNet.Kernels;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// <summary>
/// The SIMD batch normalization (planes after convolutions, columns after dense layers) against the element-by-element
/// formulas accumulated in double: forward in training (output, batch mean and variance) and inference, backward with
/// and without the input gradient, parameter gradients accumulated onto what was there.
/// </summary>
public sealed class BatchNormalizationTwinTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    // Planes (S > 1): tails shorter than a vector, a batch of one, a large offset that x·scale + shift would lose.
    [InlineData(3, 5, 7, 1e-3f, 0f)]
    [InlineData(1, 4, 33, 1e-5f, 0f)]
    [InlineData(2, 3, 64, 1e-3f, 50f)]
    [InlineData(4, 2, 2, 1e-5f, -3f)]
    // Columns (S = 1): fewer features than a vector, more than one task's strip of 256 with a ragged end.
    [InlineData(5, 3, 1, 1e-3f, 0f)]
    [InlineData(3, 300, 1, 1e-5f, 20f)]
    [InlineData(2, 17, 1, 1e-3f, 0f)]
    public void FastMatchesReference(int n, int c, int s, float epsilon, float offset)
    {
        var g = new BatchNormGeometry(n, c, s, epsilon);
        var random = new Random(n * 1000 + c * 10 + s);
        var x = TensorAssert.Random(random, g.Length).Data.Select(v => 2 * v + offset).ToArray();
        var dy = TensorAssert.Random(random, g.Length).Data;
        var gamma = TensorAssert.Random(random, c).Data.Select(v => v + 1.5f).ToArray();
        var beta = TensorAssert.Random(random, c).Data;

        var (yReference, yFast) = (new float[g.Length], new float[g.Length]);
        var (meanReference, varianceReference, meanFast, varianceFast) = (new float[c], new float[c], new float[c], new float[c]);
        BatchNormalizationReference.ForwardTraining(x, gamma, beta, yReference, meanReference, varianceReference, g);
        BatchNormalization.ForwardTraining(x, gamma, beta, yFast, meanFast, varianceFast, g);
        TensorAssert.Close(yReference, yFast, Tolerance, "training y");
        TensorAssert.Close(meanReference, meanFast, Tolerance, "batch mean");
        TensorAssert.Close(varianceReference, varianceFast, Tolerance, "batch variance");

        var runningMean = TensorAssert.Random(random, c).Data;
        var runningVariance = TensorAssert.Random(random, c).Data.Select(v => v + 1.2f).ToArray();
        BatchNormalizationReference.ForwardInference(x, gamma, beta, runningMean, runningVariance, yReference, g);
        BatchNormalization.ForwardInference(x, gamma, beta, runningMean, runningVariance, yFast, g);
        TensorAssert.Close(yReference, yFast, Tolerance, "inference y");

        // Parameter gradients accumulate: both start from the same non-zero values.
        var start = TensorAssert.Random(random, c).Data;
        var (dgReference, dbReference, dgFast, dbFast) = ((float[])start.Clone(), (float[])start.Clone(), (float[])start.Clone(), (float[])start.Clone());
        var (dxReference, dxFast) = (new float[g.Length], new float[g.Length]);
        BatchNormalizationReference.Backward(x, dy, gamma, meanReference, varianceReference, dxReference, dgReference, dbReference, g);
        BatchNormalization.Backward(x, dy, gamma, meanReference, varianceReference, dxFast, dgFast, dbFast, g);
        TensorAssert.Close(dxReference, dxFast, Tolerance, "dx");
        TensorAssert.Close(dgReference, dgFast, Tolerance, "dgamma");
        TensorAssert.Close(dbReference, dbFast, Tolerance, "dbeta");

        var (dgOnly, dbOnly) = ((float[])start.Clone(), (float[])start.Clone());
        BatchNormalization.Backward(x, dy, gamma, meanReference, varianceReference, Span<float>.Empty, dgOnly, dbOnly, g);
        TensorAssert.Close(dgReference, dgOnly, Tolerance, "dgamma without dx");
        TensorAssert.Close(dbReference, dbOnly, Tolerance, "dbeta without dx");
    }

    [Fact]
    public void TrainingOutputHasZeroMeanAndUnitVariancePerChannelBeforeScaleAndShift()
    {
        var g = new BatchNormGeometry(4, 3, 10, 1e-5f);
        var x = TensorAssert.Random(new Random(1), g.Length).Data.Select((v, i) => 5 * v + i % 7).ToArray();
        var y = new float[g.Length];
        BatchNormalization.ForwardTraining(x, [1f, 1f, 1f], [0f, 0f, 0f], y, new float[3], new float[3], g);
        for (var c = 0; c < 3; c++)
        {
            var values = Enumerable.Range(0, 4).SelectMany(n => y.Skip((n * 3 + c) * 10).Take(10)).Select(v => (double)v).ToArray();
            Assert.InRange(values.Average(), -1e-5, 1e-5);
            Assert.InRange(values.Select(v => v * v).Average(), 1 - 1e-4, 1 + 1e-4);
        }
    }

    [Fact]
    public void RunningStatisticsFollowPyTorchsMomentumWithTheUnbiasedVariance()
    {
        float[] runningMean = [1f, -2f];
        float[] runningVariance = [2f, 0.5f];
        BatchNormalization.UpdateRunningStatistics([3f, 0f], [4f, 1f], runningMean, runningVariance, momentum: 0.25f, count: 5);
        Assert.Equal([0.75f * 1 + 0.25f * 3, 0.75f * -2], runningMean);
        Assert.Equal([0.75f * 2 + 0.25f * 4 * 5 / 4f, 0.75f * 0.5f + 0.25f * 1 * 5 / 4f], runningVariance);
        Assert.Throws<ArgumentException>(() => BatchNormalization.UpdateRunningStatistics([0f], [0f], new float[1], new float[1], 0.1f, 1));
    }
}
