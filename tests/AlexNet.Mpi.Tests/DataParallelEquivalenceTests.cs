namespace AlexNet.Mpi.Tests;

/// <summary>
/// One model whatever the number of ranks: the reduced-width paper network (dropout 0.5, random crops, flips and PCA
/// lighting, SGD with momentum and weight decay) after five steps of batch 6 has the same weights, every one within
/// relative 1e-4, when one process trains it alone and when 1, 2 or 3 ranks of an MPI job train it together; on the
/// managed backend and on the default one (oneDNN where libdnnl2 is installed, as in CI). Every rank but 0 initialises
/// its weights from another seed, so the ranks agree only if the run starts from rank 0's weights, broadcast.
/// </summary>
public sealed class DataParallelEquivalenceTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-mpi-equivalence-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [MpiTheory]
    [InlineData("managed")]
    [InlineData("auto")]
    public void OneTwoAndThreeRanksTrainTheSingleProcessWeights(string backend) => TrainOnRanks(backend, [1, 2, 3], allReduce: null);

    /// <summary>--allreduce mpi: the gradients summed by the MPI library's MPI_Allreduce train the same weights.</summary>
    [MpiFact]
    public void ThreeRanksSummingWithMpiAllreduceTrainTheSingleProcessWeights() => TrainOnRanks("managed", [3], allReduce: "mpi");

    private void TrainOnRanks(string backend, int[] rankCounts, string? allReduce)
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 10);
        var alone = Path.Combine(_folder, "alone");
        var single = DotnetProgram.Run(MpiJob.TestRank, "equivalence", data, alone, backend);
        Assert.True(single.Code == 0, single.Output);
        Assert.Contains("trained 5 steps on 1 ranks", single.Output);

        var environment = allReduce is null ? null : new Dictionary<string, string> { ["ALEXNET_TEST_ALLREDUCE"] = allReduce };
        foreach (var ranks in rankCounts)
        {
            var run = Path.Combine(_folder, $"ranks{ranks}");
            var (code, output) = MpiJob.Run(ranks, MpiJob.TestRank, ["equivalence", data, run, backend], Limit, environment);
            Assert.True(code == 0, output);
            Assert.Contains($"trained 5 steps on {ranks} ranks", output);
            var (worst, where) = Weights.LargestRelativeDifference(Path.Combine(alone, "last.safetensors"), Path.Combine(run, "last.safetensors"));
            Assert.True(worst < 1e-4, $"{ranks} ranks: {where} differs by {worst:E2} (relative)");
        }
    }
}
