using AlexNet.Optim;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Optim;

public sealed class OptimizerTests
{
    private static Parameter Parameter(ParameterRole role, float value, float gradient)
    {
        var p = new Parameter("p", new Shape(1), role);
        p.Value.Data[0] = value;
        p.Gradient.Data[0] = gradient;
        return p;
    }

    [Fact]
    public void SgdFollowsPyTorchsMomentumConvention()
    {
        var p = Parameter(ParameterRole.Weight, 1f, 0.5f);
        var sgd = new SgdOptimizer([p], 0.1, new SgdOptions(Momentum: 0.9, WeightDecay: 0.01));
        sgd.Step(); // g = 0.5 + 0.01·1 = 0.51; buf = 0.51; w = 1 − 0.051
        Assert.Equal(0.949f, p.Value.Data[0], 1e-6f);
        sgd.Step(); // g = 0.5 + 0.00949 = 0.50949; buf = 0.9·0.51 + 0.50949 = 0.96849; w = 0.949 − 0.096849
        Assert.Equal(0.852151f, p.Value.Data[0], 1e-6f);
    }

    [Fact]
    public void NesterovLooksAhead()
    {
        var p = Parameter(ParameterRole.Weight, 1f, 1f);
        var sgd = new SgdOptimizer([p], 0.1, new SgdOptions(0.9, 0, Nesterov: true));
        sgd.Step(); // buf = 1; g = 1 + 0.9·1 = 1.9
        Assert.Equal(0.81f, p.Value.Data[0], 1e-6f);
    }

    [Fact]
    public void BiasesCanBeExemptFromWeightDecay()
    {
        var (weight, bias) = (Parameter(ParameterRole.Weight, 1f, 0f), Parameter(ParameterRole.Bias, 1f, 0f));
        new SgdOptimizer([weight, bias], 1.0, new SgdOptions(0, 0.1, DecayBiases: false)).Step();
        Assert.Equal(0.9f, weight.Value.Data[0], 1e-6f);
        Assert.Equal(1f, bias.Value.Data[0]);
    }

    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void ZeroLearningRateLeavesWeightsUnchanged(string kind)
    {
        var p = Parameter(ParameterRole.Weight, 0.3f, 2f);
        Optimizer optimizer = kind == "sgd"
            ? new SgdOptimizer([p], 0, new SgdOptions())
            : new AdamOptimizer([p], 0, new AdamOptions(WeightDecay: 0.1));
        for (var i = 0; i < 3; i++) optimizer.Step();
        Assert.Equal(0.3f, p.Value.Data[0]);
    }

    [Fact]
    public void AdamFirstStepMovesByTheLearningRate()
    {
        // With bias correction, the first step is lr · g / (|g| + ε) ≈ lr · sign(g).
        var p = Parameter(ParameterRole.Weight, 1f, -3f);
        new AdamOptimizer([p], 0.01, new AdamOptions()).Step();
        Assert.Equal(1.01f, p.Value.Data[0], 1e-6f);
    }

    [Fact]
    public void StepScheduleDividesEveryStepSizeEpochs()
    {
        var schedule = new LearningRateSchedule(new ScheduleOptions(ScheduleKind.Step, StepSize: 2, Gamma: 0.1), 1.0);
        var rates = Enumerable.Range(1, 5).Select(e => schedule.Next(e, 1.0, null)).ToArray();
        Assert.Equal([1.0, 0.1, 0.1, 0.01, 0.01], rates.Select(r => Math.Round(r, 10)));
    }

    [Fact]
    public void PlateauScheduleDividesByTenAfterPatienceRunsOut()
    {
        var schedule = new LearningRateSchedule(new ScheduleOptions(ScheduleKind.Plateau, Patience: 1, MinLearningRate: 1e-3), 0.1);
        var lr = 0.1;
        var rates = new List<double>();
        foreach (var loss in new[] { 1.0, 0.9, 0.95, 0.93, 0.8, 0.85, 0.86, 0.9, 0.9, 0.9, 0.9 })
        {
            lr = schedule.Next(rates.Count + 1, lr, loss);
            rates.Add(lr);
        }
        // Improvements at 1.0, 0.9, 0.8; drops after two epochs without improvement, never below the minimum.
        Assert.Equal([0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.001], rates.Select(r => Math.Round(r, 10)));
    }

    [Fact]
    public void ConstantScheduleKeepsTheRate() =>
        Assert.Equal(0.02, new LearningRateSchedule(new ScheduleOptions(), 0.02).Next(5, 0.02, 3.0));
}
