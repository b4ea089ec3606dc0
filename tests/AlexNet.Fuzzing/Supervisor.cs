using System.Diagnostics;

namespace AlexNet.Fuzzing;

/// <summary>
/// Runs each format's mutants in a worker process (this program with "worker") and reads its lines. A worker that
/// dies without saying "done" crashed on the mutant it last started, or hung on it: that mutant is recorded as a
/// failure and saved, and a new worker goes on after it.
/// </summary>
internal sealed class Supervisor(ulong seed, string work, TextWriter log)
{
    public sealed record FormatResult(string Format, int Tried, int Loaded, int Refused, long MostAllocated, string Bound, List<string> Failures);

    public List<FormatResult> Run(IEnumerable<FuzzTarget> targets, int perFormat, TimeSpan perFormatTime)
    {
        var results = new List<FormatResult>();
        foreach (var target in targets)
        {
            var result = new FormatResult(target.Name, 0, 0, 0, 0, target.BoundText, []);
            var deadline = DateTime.UtcNow + perFormatTime;
            var next = 0;
            var restarts = 0;
            while (next < perFormat && DateTime.UtcNow < deadline && restarts < 20)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling((deadline - DateTime.UtcNow).TotalSeconds));
                var (last, done, lines, exitCode) = RunWorker(target.Name, next, perFormat - next, seconds);
                foreach (var line in lines)
                {
                    var parts = line.Split(' ', 5);
                    if (parts[0] == "ok")
                    {
                        result = result with { Tried = result.Tried + 1, MostAllocated = Math.Max(result.MostAllocated, long.Parse(parts[3])) };
                        result = parts[2] == "loaded" ? result with { Loaded = result.Loaded + 1 } : result with { Refused = result.Refused + 1 };
                    }
                    else if (parts[0] == "fail")
                    {
                        result = result with { Tried = result.Tried + 1 };
                        result.Failures.Add($"mutant {parts[1]}: {string.Join(' ', parts.Skip(2))}");
                    }
                }
                if (done) break;
                // The worker died on mutant `last`: a crash in native code, a stack overflow, or a hang.
                var kind = exitCode == Worker.HangExitCode ? $"hang over {Worker.TimeLimit.TotalSeconds} s" : $"the process died (exit code {exitCode})";
                var bytes = Worker.MakeMutant(target, seed, last, out var file);
                var saved = Path.Combine(work, "failures", $"{target.Name}-{seed}-{last}-{Path.GetFileName(file.Name)}");
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                File.WriteAllBytes(saved, bytes);
                result = result with { Tried = result.Tried + 1 };
                result.Failures.Add($"mutant {last}: {kind} (mutant of {file.Layer} saved as {saved})");
                next = last + 1;
                restarts++;
            }
            log.WriteLine($"{target.Name,-18} {result.Tried,7:N0} mutants: {result.Loaded,6:N0} loaded, {result.Refused,7:N0} refused, " +
                $"{result.Failures.Count} failures; most allocated {result.MostAllocated / 1024.0 / 1024.0:F1} MiB (bound {target.BoundText})");
            foreach (var failure in result.Failures.Take(20)) log.WriteLine($"    {failure}");
            log.Flush();
            results.Add(result);
        }
        return results;
    }

    private (int Last, bool Done, List<string> Lines, int ExitCode) RunWorker(string format, int from, int count, int seconds)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet") start.ArgumentList.Add(typeof(Supervisor).Assembly.Location);
        foreach (var argument in new[] { "worker", "--format", format, "--seed", seed.ToString(), "--from", from.ToString(), "--count", count.ToString(),
            "--seconds", seconds.ToString(), "--work", work })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var lines = new List<string>();
        var last = from;
        var done = false;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("start ", StringComparison.Ordinal)) last = int.Parse(line[6..]);
            else if (line == "done") done = true;
            else lines.Add(line);
        }
        process.WaitForExit();
        return (last, done, lines, process.ExitCode);
    }
}
