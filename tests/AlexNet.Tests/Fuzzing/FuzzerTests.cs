using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace AlexNet.Tests.Fuzzing;

/// <summary>
/// Every reader of users' files, fuzzed for 40 seconds (tests/AlexNet.Fuzzing, in a child process so that a crash in
/// native code is reported rather than fatal): each mutant must load or end in an AlexNetException naming the file,
/// within 10 s, within the format's allocation bound, leaving no partial output. The seed is fixed, so a failure here
/// comes back on every run; bench/fuzz.sh runs far more mutants with other seeds.
/// </summary>
public sealed class FuzzerTests
{
    [Fact]
    public async Task EveryFormatsMutantsLoadOrEndInOurError()
    {
        var work = Directory.CreateTempSubdirectory("alexnet-fuzz-").FullName;
        var json = Path.Combine(work, "summary.json");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "AlexNet.Fuzzing.dll"), "--seconds", "40", "--seed", "1",
            "--work", Path.Combine(work, "mutants"), "--json", json })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        try
        {
            Assert.True(process.ExitCode == 0, output + await errors);
            using var summary = JsonDocument.Parse(File.ReadAllText(json));
            var formats = summary.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("Format").GetString()!, f => f.GetProperty("Tried").GetInt32());
            Assert.Equal(["caffe", "cifar-archive", "cifar-binary", "cifar-python", "csv", "idx", "jpeg", "json", "numpy", "png", "pytorch-pickle", "pytorch-zip",
                "safetensors", "safetensors-import"], formats.Keys.Order(StringComparer.Ordinal));
            Assert.All(formats, format => Assert.True(format.Value >= 50, $"{format.Key}: only {format.Value} mutants in its time\n{output}"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
