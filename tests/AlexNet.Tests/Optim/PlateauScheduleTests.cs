using AlexNet.Optim;
using Xunit;

namespace AlexNet.Tests.Optim;

/// <summary>The plateau schedule's factor, monitored figure and floor (Keras's ReduceLROnPlateau settings of the seed recipe).</summary>
public sealed class PlateauScheduleTests
{
    [Fact]
    public void WatchingTop1ReducesWhenAccuracyStopsRisingAndNeverGoesBelowTheFloor()
    {
        var schedule = new LearningRateSchedule(
            new ScheduleOptions(ScheduleKind.Plateau, Factor: 0.01, Patience: 1, MinLearningRate: 1e-5, Monitor: PlateauMonitor.ValTop1), 0.01);
        var lr = 0.01;
        double[] top1 = [0.5, 0.6, 0.6, 0.59, 0.7, 0.7, 0.7, 0.7, 0.7];
        var rates = new List<double>();
        for (var epoch = 0; epoch < top1.Length; epoch++) rates.Add(lr = schedule.Next(epoch + 1, lr, top1[epoch]));
        // Rising accuracy keeps the rate; two epochs without a rise (patience 1) multiply it by 0.01, floored at 1e-5.
        Assert.Equal([0.01, 0.01, 0.01, 1e-4, 1e-4, 1e-4, 1e-5, 1e-5, 1e-5], rates.Select(r => Math.Round(r, 12)));
        Assert.Equal(0.7, schedule.State.BestMetric);
    }

    [Fact]
    public void WatchingLossReducesWhenLossStopsFalling()
    {
        var schedule = new LearningRateSchedule(new ScheduleOptions(ScheduleKind.Plateau, Patience: 0), 1);
        Assert.Equal(1, schedule.Next(1, 1, 2.0));
        Assert.Equal(1, schedule.Next(2, 1, 1.5));
        Assert.Equal(0.1, schedule.Next(3, 1, 1.6), 12);
    }

    [Theory]
    [InlineData(1.0, "--plateau-factor")]
    [InlineData(0.0, "--plateau-factor")]
    public void FactorsOutsideZeroToOneAreRefusedNamingTheOption(double factor, string option)
    {
        var error = Assert.Throws<AlexNetException>(() => new ScheduleOptions(ScheduleKind.Plateau, Factor: factor).Validate());
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public void ANegativeFloorIsRefused() =>
        Assert.Contains("--min-lr", Assert.Throws<AlexNetException>(() => new ScheduleOptions(MinLearningRate: -1).Validate()).Message);
}
