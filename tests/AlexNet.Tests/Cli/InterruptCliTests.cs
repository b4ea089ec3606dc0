using System.Diagnostics;
using System.Text.RegularExpressions;
using AlexNet.Tests.Support;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

/// <summary>
/// A stop signal to a real `alexnet train` process: it reaches the trainer through the command line's termination
/// handler, the step in flight finishes, the run is saved, exit code 130 and the command to continue are printed,
/// and that command finishes the epoch. (The trainer-level tests prove the resumed run is bit for bit the
/// uninterrupted one.) A small shell script starts the trainer, waits for its first epoch line and signals it: a
/// parent can always signal its own child, while a test process may not see the processes it starts under every
/// sandbox. It sends SIGTERM, which `kill` and service managers send and which takes Ctrl+C's path; SIGINT cannot be
/// sent reliably from a test, since a process started in the background of a non-interactive shell, as test runners
/// often are, passes SIGINT on to its children ignored.
/// </summary>
public sealed partial class InterruptCliTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-interrupt-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Script = """
        "$@" > "$LOG" 2>&1 &
        trainer=$!
        for _ in $(seq 1200); do
          grep -q '^epoch ' "$LOG" && break
          kill -0 "$trainer" 2>/dev/null || break
          sleep 0.1
        done
        kill -TERM "$trainer"
        wait "$trainer"
        """;

    [Fact]
    public async Task AStopSignalSavesTheRunAndPrintsHowToContinue()
    {
        var data = PhotoDataSet.Create(_folder);
        var run = Path.Combine(_folder, "run");
        var log = Path.Combine(_folder, "train.log");
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["LOG"] = log;
        foreach (var argument in new[] { "-c", Script, "interrupt", "dotnet", Path.Combine(AppContext.BaseDirectory, "AlexNet.Cli.dll"), "train",
                     "--data", data, "--out", run, "--epochs", "500", "--batch-size", "3", "--lr", "0.001", "--backend", "managed" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var scriptOutput = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);

        var printed = File.ReadAllText(log);
        Assert.True(process.ExitCode == 130, $"exit code {process.ExitCode}\n{printed}\n{scriptOutput}");
        Assert.Contains($"Continue with: ./alexnet train --resume {run}", printed);
        Assert.True(File.Exists(Path.Combine(run, "last.safetensors")));
        var stopped = StoppedDuringEpoch().Match(printed);
        Assert.True(stopped.Success, printed);

        var epoch = stopped.Groups[1].Value;
        var resumed = Run("train", "--resume", run, "--epochs", epoch, "--backend", "managed");
        Assert.True(resumed.Code == 0, resumed.Error + resumed.Output);
        Assert.Equal(int.Parse(epoch, System.Globalization.CultureInfo.InvariantCulture),
            File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Count(l => l.Length > 0));
    }

    [GeneratedRegex(@"Stopped during epoch (\d+) after step \d+")]
    private static partial Regex StoppedDuringEpoch();
}
