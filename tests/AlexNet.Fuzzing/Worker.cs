using AlexNet.Randomness;

namespace AlexNet.Fuzzing;

/// <summary>
/// Runs mutants of one format in this process and checks each: it loads or ends in an <see cref="AlexNetException"/>
/// that names the file; no other exception; done within <see cref="TimeLimit"/>; allocating no more than the format's
/// bound; and leaving no file behind but a complete output. Writes one line per mutant for the supervisor
/// ("start", then "ok" or "fail"); a hang ends the process, a crash ends it by itself.
/// </summary>
internal sealed class Worker(FuzzTarget target, ulong seed, string work, TextWriter report)
{
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    public const int HangExitCode = 3;

    public static byte[] MakeMutant(FuzzTarget target, ulong seed, int index, out FuzzFile file)
    {
        var random = new RandomStream(seed, StableHash(target.Name), (ulong)index);
        file = target.Files[random.NextInt(target.Files.Count)];
        return file.Wrap(Mutator.Mutate(file.Inner, random));
    }

    /// <summary>FNV-1a: string.GetHashCode differs from process to process, and mutants must be made again by number.</summary>
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text) hash = (hash ^ c) * 1099511628211UL;
        return hash;
    }

    public void Run(int from, int count, DateTime deadline)
    {
        var folder = Path.Combine(work, target.Name);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        target.Prepare(folder);
        var prepared = Snapshot(folder);
        for (var index = from; index < from + count && DateTime.UtcNow < deadline; index++)
        {
            var bytes = MakeMutant(target, seed, index, out var file);
            var path = Path.Combine(folder, file.Name);
            var original = File.Exists(path) ? File.ReadAllBytes(path) : null;
            File.WriteAllBytes(path, bytes);
            report.WriteLine($"start {index}");
            report.Flush();
            var problem = Check(folder, path, bytes, prepared, out var outcome, out var allocated);
            if (problem is null) report.WriteLine($"ok {index} {outcome} {allocated} {bytes.Length}");
            else
            {
                var saved = Path.Combine(work, "failures", $"{target.Name}-{seed}-{index}-{Path.GetFileName(file.Name)}");
                Directory.CreateDirectory(Path.GetDirectoryName(saved)!);
                File.WriteAllBytes(saved, bytes);
                report.WriteLine($"fail {index} {Escape(problem)} (mutant of {file.Layer} saved as {saved})");
            }
            report.Flush();
            if (original is null) File.Delete(path);
            else File.WriteAllBytes(path, original);
            foreach (var extra in Snapshot(folder).Except(prepared)) DeleteEntry(extra);
        }
        report.WriteLine("done");
        report.Flush();
    }

    private string? Check(string folder, string path, byte[] bytes, HashSet<string> prepared, out string outcome, out long allocated)
    {
        string? output = null;
        Exception? failure = null;
        long used = 0;
        var thread = new Thread(() =>
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            try
            {
                output = target.Load(folder, path);
            }
            catch (Exception e)
            {
                failure = e;
            }
            used = GC.GetTotalAllocatedBytes(precise: true) - before;
        }, maxStackSize: 16 << 20);
        thread.Start();
        if (!thread.Join(TimeLimit))
        {
            report.WriteLine($"hang over {TimeLimit.TotalSeconds} s");
            report.Flush();
            Environment.Exit(HangExitCode);
        }
        allocated = used;
        outcome = failure is null ? "loaded" : "refused";
        var measure = bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b ? Math.Max(bytes.Length, Containers.InflatedLength(bytes)) : bytes.Length;
        var bound = target.AllocationBound(measure);
        if (failure is not null and not AlexNetException) return $"{failure.GetType().FullName}: {failure.Message} at {FirstFrame(failure)}";
        if (failure is AlexNetException refused && !refused.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal))
        {
            return $"the error does not name the file: {refused.Message}";
        }
        if (used > bound) return $"allocated {used:N0} bytes, over the bound of {bound:N0} for {measure:N0} bytes ({target.BoundText})";
        var left = Snapshot(folder).Except(prepared).Where(entry => entry != path).ToList();
        var expected = output is null || failure is not null ? [] : new[] { output };
        var partial = left.Where(entry => !expected.Contains(entry) && File.Exists(entry)).ToList();
        if (partial.Count > 0) return $"left {string.Join(", ", partial)} behind after {(failure is null ? "loading" : "refusing")} it";
        return null;
    }

    private static HashSet<string> Snapshot(string folder) =>
        Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal);

    private static void DeleteEntry(string entry)
    {
        if (File.Exists(entry)) File.Delete(entry);
        else if (Directory.Exists(entry)) Directory.Delete(entry, recursive: true);
    }

    private static string FirstFrame(Exception e) =>
        e.StackTrace?.Split('\n').Select(line => line.Trim()).FirstOrDefault(line => line.StartsWith("at AlexNet", StringComparison.Ordinal)) ?? "(no frame)";

    private static string Escape(string text) => text.Replace('\n', ' ').Replace('\r', ' ');
}
