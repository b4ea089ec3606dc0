namespace AlexNet.Mpi.Tests;

/// <summary>
/// A bucket's reduction starts as soon as backward has finished its gradients, not after backward: on every rank of a
/// two-rank job, the last layer's weight gradient holds its sum over the ranks while backward has not yet gone on to
/// the layers before it (the probe holds the plan's first report until then), on both backends.
/// </summary>
public sealed class GradientOverlapTests
{
    [MpiTheory]
    [InlineData("managed")]
    [InlineData("auto")]
    public void TheLastLayersGradientsAreSummedWhileBackwardStillRuns(string backend)
    {
        var (code, output) = MpiJob.Run(2, MpiJob.TestRank, ["overlap", backend], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        foreach (var rank in new[] { 0, 1 })
        {
            // fc8 is the last layer; reports for fc7, fc6 and the five convolutions follow once the probe lets backward go on.
            Assert.Matches($"rank {rank} of 2: fc8.weight was reduced during backward; backward then reported [1-9][0-9]* more layers", output);
        }
    }
}
