using AlexNet.Reporting;
using Xunit;

namespace AlexNet.Tests.Reporting;

public sealed class AxisTests
{
    [Fact]
    public void LinearTicksAreNiceAndCoverTheData()
    {
        var axis = Axis.Linear(0.12, 0.93, ValueFormat.Percent);
        Assert.Equal([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], axis.Ticks);
        Assert.Equal(["0%", "20%", "40%", "60%", "80%", "100%"], axis.Ticks.Select(axis.Label));
        Assert.Equal(0.5, axis.Fraction(0.5), 12);
    }

    [Fact]
    public void SmallStepsGetEnoughDecimals()
    {
        var axis = Axis.Linear(0.2612, 0.2731);
        Assert.True(axis.Min <= 0.2612 && axis.Max >= 0.2731);
        // A range of 0.0119 over about 5 ticks: steps of 0.002, three decimals.
        Assert.Equal(["0.260", "0.262", "0.264", "0.266", "0.268", "0.270", "0.272", "0.274"], axis.Ticks.Select(axis.Label));
    }

    [Fact]
    public void IntegerAxesStepByWholeNumbers()
    {
        var axis = Axis.Linear(1, 3, integers: true);
        Assert.All(axis.Ticks, t => Assert.Equal(Math.Round(t), t));
        Assert.Contains(1.0, axis.Ticks);
        Assert.Contains(3.0, axis.Ticks);
    }

    [Fact]
    public void AFlatSeriesGetsARangeAroundIt()
    {
        var axis = Axis.Linear(0.01, 0.01);
        Assert.True(axis.Min < 0.01 && axis.Max > 0.01);
        Assert.InRange(axis.Fraction(0.01), 0.2, 0.8);
    }

    [Fact]
    public void LogAxesSpanWholeDecades()
    {
        var axis = Axis.Log(0.0001, 0.01);
        Assert.True(axis.Logarithmic);
        Assert.Equal(3, axis.Ticks.Count);
        Assert.Equal(1e-4, axis.Ticks[0], 15);
        Assert.Equal(1e-2, axis.Ticks[2], 15);
        Assert.Equal(0.5, axis.Fraction(0.001), 9);
        Assert.Equal("0.001", axis.Label(axis.Ticks[1]));
    }
}
