using System.Diagnostics;
using System.Text.RegularExpressions;
using AlexNet.Checkpoints;

namespace AlexNet.Mpi.Tests;

/// <summary>
/// SIGUSR1 to mpirun, which forwards it to every rank, stops a data-parallel run as Ctrl+C stops a single process:
/// all ranks stop after the same step, rank 0 saves it and prints how to continue, the job exits with 130, and the
/// printed command finishes the run (here on another number of ranks).
/// </summary>
public sealed partial class StopSignalTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-mpi-stop-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [MpiFact]
    public void SignalUser1ToMpirunSavesTheStepAndTheRunContinues()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 4);
        var run = Path.Combine(_folder, "run");
        using (var job = MpiJob.Start(2, MpiJob.Cli,
                   ["train", "--data", data, "--out", run, "--epochs", "10000", "--batch-size", "6", "--val-split", "0", "--backend", "managed"]))
        {
            Assert.True(job.WaitForOutput("epoch 2 ", TimeSpan.FromMinutes(3)), job.Output);
            using (var signal = Process.Start(new ProcessStartInfo("bash", ["-c", $"kill -USR1 {job.MpirunProcess}"]) { UseShellExecute = false })!)
            {
                signal.WaitForExit();
            }
            Assert.Equal(130, job.WaitForExit(TimeSpan.FromMinutes(2)));
            Assert.Matches(StoppedAfterStep(), job.Output);
            Assert.Contains($"Continue with: mpirun -np 2 ./alexnet train --resume {run}", job.Output);
        }
        var saved = Checkpoint.Load(Path.Combine(run, "last.safetensors")).Training!;
        var epoch = saved.CompletedEpochs + 1;
        var resumed = MpiJob.Run(3, MpiJob.Cli, ["train", "--resume", run, "--epochs", epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--backend", "managed"], TimeSpan.FromMinutes(3));
        Assert.True(resumed.Code == 0, resumed.Output);
        Assert.Equal(epoch, Checkpoint.Load(Path.Combine(run, "last.safetensors")).Training!.CompletedEpochs);
    }

    [GeneratedRegex(@"Stopped during epoch \d+ after step \d+")]
    private static partial Regex StoppedAfterStep();
}
