using System.Diagnostics;
using System.Text;

namespace AlexNet.Mpi.Tests.Support;

/// <summary>
/// An <c>mpirun</c> job started by a test: N ranks of a .NET program from the test's output folder, on this machine
/// (<c>--oversubscribe</c>: more ranks than cores; <c>--bind-to none</c>: ranks share the cores; as root, Open MPI's
/// two environment variables allow it). Its output (every rank's stdout and stderr, and mpirun's own) is collected
/// as it comes. A marker in the environment lets the test find its ranks' processes in /proc.
/// </summary>
internal sealed class MpiJob : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _marker = Guid.NewGuid().ToString("N");
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private MpiJob(int ranks, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment, string? rankCommand)
    {
        var start = new ProcessStartInfo("mpirun") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "--oversubscribe", "--bind-to", "none", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }
        // A rank command wraps each rank (for example to limit rank 0's file sizes): bash -c COMMAND -- dotnet PROGRAM ARGS.
        if (rankCommand is not null)
        {
            foreach (var argument in new[] { "bash", "-c", rankCommand, "rank" }) start.ArgumentList.Add(argument);
        }
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, program));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        start.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        start.Environment["ALEXNET_TEST_JOB"] = _marker;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <paramref name="ranks"/> ranks of the program <paramref name="program"/> (a dll next to the tests).</summary>
    public static MpiJob Start(int ranks, string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        string? rankCommand = null) => new(ranks, program, arguments, environment, rankCommand);

    /// <summary>Runs a job to its end (failing the test if it takes longer than <paramref name="limit"/>).</summary>
    public static (int Code, string Output) Run(int ranks, string program, IEnumerable<string> arguments, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null, string? rankCommand = null)
    {
        using var job = Start(ranks, program, arguments, environment, rankCommand);
        var code = job.WaitForExit(limit) ?? throw new TimeoutException($"mpirun did not finish within {limit.TotalSeconds:F0} s:\n{job.Output}");
        return (code, job.Output);
    }

    public const string Cli = "AlexNet.Cli.dll";

    public const string TestRank = "AlexNet.Mpi.TestRank.dll";

    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The process id of mpirun itself.</summary>
    public int MpirunProcess => _process.Id;

    /// <summary>The exit code, or null if the job still runs after <paramref name="limit"/>.</summary>
    public int? WaitForExit(TimeSpan limit)
    {
        if (!_process.WaitForExit(limit)) return null;
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until the output holds <paramref name="text"/>; false if the job ended or the time ran out first.</summary>
    public bool WaitForOutput(string text, TimeSpan limit)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < limit)
        {
            if (Output.Contains(text, StringComparison.Ordinal)) return true;
            if (_process.HasExited) return Output.Contains(text, StringComparison.Ordinal);
            Thread.Sleep(100);
        }
        return false;
    }

    /// <summary>The process id of rank <paramref name="rank"/> of this job, found by its environment in /proc.</summary>
    public int RankProcess(int rank)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid)) continue;
            string environment;
            try
            {
                environment = File.ReadAllText(Path.Combine(folder, "environ"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var variables = environment.Split('\0');
            if (variables.Contains($"ALEXNET_TEST_JOB={_marker}") && variables.Contains($"OMPI_COMM_WORLD_RANK={rank}")
                && File.ReadAllText(Path.Combine(folder, "cmdline")).StartsWith("dotnet\0", StringComparison.Ordinal))
            {
                return pid;
            }
        }
        throw new InvalidOperationException($"Rank {rank} of the job is not running:\n{Output}");
    }

    /// <summary>Sends <paramref name="signal"/> (KILL, STOP, ...) to rank <paramref name="rank"/>'s process.</summary>
    public void Signal(int rank, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("bash", ["-c", $"kill -{signal} {RankProcess(rank)}"]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
