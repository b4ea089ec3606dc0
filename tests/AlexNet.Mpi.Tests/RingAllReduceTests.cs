using System.Text.RegularExpressions;

namespace AlexNet.Mpi.Tests;

/// <summary>
/// The ring all-reduce that sums the gradients: on 2 and 3 ranks, buffers shorter than the number of ranks, of lengths
/// that divide neither by it nor by the segment, and of several segments per part sum exactly (integers) and within
/// float rounding (fractions), and every rank ends with the same bits.
/// </summary>
public sealed class RingAllReduceTests
{
    [MpiTheory]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryRankGetsTheSameCorrectSums(int ranks)
    {
        var (code, output) = MpiJob.Run(ranks, MpiJob.TestRank, ["ring", "managed"], TimeSpan.FromMinutes(2));
        Assert.True(code == 0, output);
        var checksums = new HashSet<string>();
        for (var rank = 0; rank < ranks; rank++)
        {
            var line = Regex.Match(output, $"rank {rank} of {ranks}: (.*); checksum ([0-9A-F]+)");
            Assert.True(line.Success, output);
            Assert.Equal("every sum right", line.Groups[1].Value);
            checksums.Add(line.Groups[2].Value);
        }
        Assert.Single(checksums);
    }
}
