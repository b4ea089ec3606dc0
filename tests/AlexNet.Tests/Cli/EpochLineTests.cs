using AlexNet.Cli.Display;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Cli;

public sealed class EpochLineTests
{
    [Fact]
    public void ProgressOfSeveralRanksSaysHowManyTrainTogether()
    {
        Assert.Equal("epoch 2/5  batch 20/40  loss 1.2346  top-1 50.00 %  123 img/s on 3 ranks",
            EpochLine.Format(new StepProgress(2, 5, 20, 40, 1.23456, 0.5, 123.4, Ranks: 3)));
        Assert.Equal("epoch 2/5  batch 20/40  loss 1.2346  top-1 50.00 %  123 img/s",
            EpochLine.Format(new StepProgress(2, 5, 20, 40, 1.23456, 0.5, 123.4)));
    }
}
