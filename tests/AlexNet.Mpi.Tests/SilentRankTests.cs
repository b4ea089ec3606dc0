using System.Diagnostics;
using AlexNet.Checkpoints;

namespace AlexNet.Mpi.Tests;

/// <summary>
/// A rank that dies or stops answering does not leave the others waiting: they stop within a minute, the rank is
/// named, the last checkpoint is intact, and the run continues with <c>--resume</c> on another number of ranks.
/// </summary>
public sealed class SilentRankTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-mpi-silent-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string[] LongTraining(string run, string data, params string[] more) =>
        ["train", "--data", data, "--out", run, "--epochs", "10000", "--batch-size", "6", "--val-split", "0", "--backend", "managed", .. more];

    [MpiFact]
    public void AKilledRankStopsTheOthersWithinAMinuteAndTheRunResumesOnAnotherNumberOfRanks()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 4);
        var run = Path.Combine(_folder, "run");
        using (var job = MpiJob.Start(3, MpiJob.Cli, LongTraining(run, data)))
        {
            Assert.True(job.WaitForOutput("epoch 2 ", TimeSpan.FromMinutes(3)), job.Output);
            var killed = Stopwatch.StartNew();
            job.Signal(1, "KILL");
            var code = job.WaitForExit(Minute);
            Assert.True(code is not null, $"the other ranks still ran a minute after rank 1 was killed:\n{job.Output}");
            Assert.True(code != 0, job.Output);
            Assert.True(killed.Elapsed < Minute);
            Assert.Matches("process rank 1 .*exited on signal 9", job.Output);
        }

        var saved = Checkpoint.Load(Path.Combine(run, "last.safetensors"));
        var epochs = saved.Training!.CompletedEpochs;
        Assert.True(epochs >= 2, $"{epochs} epochs saved");
        var resumed = MpiJob.Run(2, MpiJob.Cli, ["train", "--resume", run, "--epochs", (epochs + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--backend", "managed"], TimeSpan.FromMinutes(3));
        Assert.True(resumed.Code == 0, resumed.Output);
        Assert.Equal(epochs + 1, Checkpoint.Load(Path.Combine(run, "last.safetensors")).Training!.CompletedEpochs);
    }

    [MpiFact]
    public void AStoppedRankIsNamedByTheOthersWithinAMinute()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 4);
        var run = Path.Combine(_folder, "run");
        using var job = MpiJob.Start(3, MpiJob.Cli, LongTraining(run, data, "--peer-timeout", "10"));
        Assert.True(job.WaitForOutput("epoch 2 ", TimeSpan.FromMinutes(3)), job.Output);
        // SIGSTOP freezes the process without ending it: mpirun sees nothing wrong; only the heartbeat can tell.
        job.Signal(2, "STOP");
        var code = job.WaitForExit(Minute);
        Assert.True(code is not null, $"the other ranks still waited a minute after rank 2 stopped:\n{job.Output}");
        Assert.True(code != 0, job.Output);
        Assert.Matches(@"error: rank 2 of 3 went silent: rank [01] has not heard from it for \d+ s", job.Output);
        Assert.True(Checkpoint.Load(Path.Combine(run, "last.safetensors")).Training!.CompletedEpochs >= 1);
    }
}
