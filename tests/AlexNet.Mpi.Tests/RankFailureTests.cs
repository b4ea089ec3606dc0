using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Data.Sources;
using AlexNet.Imaging;

namespace AlexNet.Mpi.Tests;

/// <summary>
/// An error on any rank stops every rank with one message that names the rank and the cause, printed once (by rank
/// 0), and mpirun exits with a failure status; the last checkpoint stays as it was.
/// </summary>
public sealed class RankFailureTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-mpi-failure-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [MpiFact]
    public void ABadImageInTheMiddleOfAnEpochStopsEveryRankNamingTheRankThatMetIt()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 10);
        TrainingPhotos.AddBrokenImage(data, "cat", "05_broken.jpg");
        var source = DataSetDetector.Open(data, new NativeImageDecoder()).Train!;
        var broken = Enumerable.Range(0, source.Count).Single(i => source.Describe(i).Contains("05_broken.jpg", StringComparison.Ordinal));
        // Where the test program's loader (seed 3, batch 6) puts the file in epoch 0, and which of the 3 ranks loads that place.
        var position = Array.IndexOf(BatchIterator.EpochOrder(source.Count, 3, 0, shuffle: true), broken);
        var batchLength = Math.Min(6, source.Count - position / 6 * 6);
        var rank = Enumerable.Range(0, 3).Single(r =>
        {
            var (start, count) = new DataShard(r, 3).Portion(batchLength);
            return position % 6 >= start && position % 6 < start + count;
        });

        var (code, output) = MpiJob.Run(3, MpiJob.TestRank, ["bad-sample", data, Path.Combine(_folder, "run"), "managed"], Limit);

        Assert.True(code != 0, output);
        Assert.Contains($"error: rank {rank} of 3 failed: Sample {broken} (", output);
        Assert.Contains("05_broken.jpg", output);
        Assert.Contains("(all 3 ranks stopped)", output);
        Assert.Single(output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
    }

    [MpiFact]
    public void ANonFiniteLossStopsEveryRankWithTheStepAndTheLearningRate()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 4);
        var (code, output) = MpiJob.Run(2, MpiJob.Cli,
            ["train", "--data", data, "--out", Path.Combine(_folder, "run"), "--epochs", "3", "--batch-size", "6", "--lr", "1e8", "--val-split", "0", "--backend", "managed"],
            Limit);
        Assert.True(code != 0, output);
        Assert.Matches(@"error: ranks 0 and 1 of 2 failed: The training loss became (NaN|-?∞|-?Infinity) at epoch \d+, step \d+ \(learning rate 100000000\)", output);
    }

    [MpiFact]
    public void AFullDiskOnRankZeroStopsEveryRankAndLeavesTheLastCheckpointAsItWas()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 4);
        var run = Path.Combine(_folder, "run");
        string[] train = ["train", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "6", "--val-split", "0", "--backend", "managed"];
        var first = MpiJob.Run(2, MpiJob.Cli, train, Limit);
        Assert.True(first.Code == 0, first.Output);
        var checkpoint = Path.Combine(run, "last.safetensors");
        var before = File.ReadAllBytes(checkpoint);

        // Rank 0 may not write files over 64 KB (a checkpoint of mini is 5.7 MB): its next save fails as on a full disk.
        // .NET's executable-memory double mapping needs large files of its own, hence W^X off for that process.
        const string limitedRankZero = """
            if [ "$OMPI_COMM_WORLD_RANK" = 0 ]; then export DOTNET_EnableWriteXorExecute=0; trap '' XFSZ; ulimit -f 64; fi
            exec "$@"
            """;
        var (code, output) = MpiJob.Run(2, MpiJob.Cli, ["train", "--resume", run, "--epochs", "2", "--backend", "managed"], Limit, rankCommand: limitedRankZero);

        Assert.True(code != 0, output);
        Assert.Contains($"error: rank 0 of 2 failed: Cannot write '{checkpoint}'", output);
        Assert.Contains("(all 2 ranks stopped)", output);
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
        Assert.Equal(1, Checkpoint.Load(checkpoint).Training!.CompletedEpochs);
        Assert.Empty(Directory.GetFiles(run, "*.tmp"));
    }

    [MpiFact]
    public void ARankWhoseDataDiffersStopsEveryRankBeforeTraining()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 4);
        var other = TrainingPhotos.Create(Path.Combine(_folder, "other"), perClass: 4);
        File.Delete(Directory.GetFiles(Path.Combine(other, "train", "cat"))[0]);
        // Rank 1 reads its own copy of the data, one image short.
        var rankOneElsewhere = $$"""
            if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then from='{{data}}'; to='{{other}}'; set -- "${@/"$from"/"$to"}"; fi
            exec "$@"
            """;
        var (code, output) = MpiJob.Run(2, MpiJob.Cli,
            ["train", "--data", data, "--out", Path.Combine(_folder, "run"), "--epochs", "1", "--batch-size", "6", "--val-split", "0", "--backend", "managed"],
            Limit, rankCommand: rankOneElsewhere);
        Assert.True(code != 0, output);
        Assert.Contains("error: rank 1 of 2 failed: its data set differs from rank 0's: 11 training images here, 12 on rank 0", output);
        Assert.False(File.Exists(Path.Combine(_folder, "run", "last.safetensors")));
    }

    [MpiFact]
    public void ABatchThatDoesNotDivideOverTheRanksIsRefusedOnce()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 2);
        var (code, output) = MpiJob.Run(3, MpiJob.Cli,
            ["train", "--data", data, "--out", Path.Combine(_folder, "run"), "--batch-size", "8", "--backend", "managed"], Limit);
        Assert.True(code != 0, output);
        Assert.Contains("error: ranks 0, 1 and 2 of 3 failed: --batch-size 8 does not divide over 3 ranks", output);
        Assert.Contains("choose a multiple of 3 (for example 6 or 9)", output);
        Assert.Single(output.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
    }
}
