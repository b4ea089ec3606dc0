using System.Globalization;
using System.Text.Json;

namespace AlexNet.Fuzzing;

/// <summary>
/// The mutation fuzzer of the toolkit's readers.
/// <code>
/// AlexNet.Fuzzing [--seconds 40] [--per-format 100000] [--seed 1] [--format NAME] [--work DIR] [--json FILE]
/// AlexNet.Fuzzing worker --format NAME --seed S --from I --count N --seconds T --work DIR   (run by the first form)
/// </code>
/// The first form splits the time among the formats and prints, per format, how many mutants were tried, loaded
/// and refused, the most any of them allocated, and every failure (the mutant is saved under DIR/failures). Exit
/// code 0 when there was no failure, 1 otherwise.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var options = Options(args);
        var seed = ulong.Parse(options.GetValueOrDefault("--seed", "1"), CultureInfo.InvariantCulture);
        var work = Path.GetFullPath(options.GetValueOrDefault("--work", Path.Combine(Path.GetTempPath(), $"alexnet-fuzz-{Environment.ProcessId}")));
        var targets = Targets.All(work).Where(t => !options.TryGetValue("--format", out var only) || only.Split(',').Contains(t.Name)).ToList();
        if (targets.Count == 0) throw new ArgumentException($"No format matches; formats: {string.Join(", ", Targets.All(work).Select(t => t.Name))}.");
        if (args.Length > 0 && args[0] == "worker")
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(double.Parse(options["--seconds"], CultureInfo.InvariantCulture));
            new Worker(targets[0], seed, work, Console.Out).Run(int.Parse(options["--from"], CultureInfo.InvariantCulture),
                int.Parse(options["--count"], CultureInfo.InvariantCulture), deadline);
            return 0;
        }
        var seconds = double.Parse(options.GetValueOrDefault("--seconds", "40"), CultureInfo.InvariantCulture);
        var perFormat = int.Parse(options.GetValueOrDefault("--per-format", "100000"), CultureInfo.InvariantCulture);
        Console.WriteLine($"Fuzzing {targets.Count} formats for {seconds:F0} s (seed {seed}, work folder {work})");
        var results = new Supervisor(seed, work, Console.Out).Run(targets, perFormat, TimeSpan.FromSeconds(seconds / targets.Count));
        if (options.TryGetValue("--json", out var json))
        {
            File.WriteAllText(json, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
        }
        var failures = results.Sum(r => r.Failures.Count);
        Console.WriteLine($"{results.Sum(r => r.Tried):N0} mutants, {failures} failures");
        if (failures == 0 && !options.ContainsKey("--keep")) Directory.Delete(work, recursive: true);
        return failures == 0 ? 0 : 1;
    }

    private static Dictionary<string, string> Options(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = args.Length > 0 && args[0] == "worker" ? 1 : 0; i < args.Length; i++)
        {
            if (args[i] == "--keep") options["--keep"] = "";
            else if (i + 1 < args.Length) options[args[i]] = args[++i];
            else throw new ArgumentException($"Option {args[i]} needs a value.");
        }
        return options;
    }
}
