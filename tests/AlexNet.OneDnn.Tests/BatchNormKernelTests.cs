using System.Diagnostics;
using AlexNet.OneDnn.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// keras-cifar10's batch normalizations run oneDNN's JIT kernels, forward and backward, with the widest instruction set
/// this CPU has and limited to AVX2: read from what oneDNN itself prints (<c>ONEDNN_VERBOSE=1</c>) while
/// <c>alexnet bench</c> runs inference and training steps in a child process (oneDNN reads both variables once).
/// Channel counts that are not a multiple of 8 (bn9's 10 classes) may take oneDNN's generic channels-last code; none
/// may take its reference code.
/// </summary>
public sealed class BatchNormKernelTests
{
    [OneDnnTheory]
    [InlineData(null)]
    [InlineData("AVX2")]
    public void BatchNormalizationRunsJitKernels(string? maxIsa)
    {
        var lines = VerboseBench(maxIsa).Where(l => l.StartsWith("onednn_verbose,exec,cpu,batch_normalization,", StringComparison.Ordinal)).ToList();
        var passes = lines.Select(l => l.Split(',')[5]).ToHashSet();
        Assert.Contains("forward_training", passes);
        Assert.Contains("forward_inference", passes);
        Assert.Contains("backward", passes);
        foreach (var line in lines)
        {
            var fields = line.Split(',');
            var implementation = fields[4];
            var channels = int.Parse(System.Text.RegularExpressions.Regex.Match(line, @"ic(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(implementation.StartsWith("ref", StringComparison.Ordinal), line);
            if (channels % 8 == 0) Assert.True(implementation.Contains("jit", StringComparison.Ordinal), line);
            if (maxIsa is not null) Assert.DoesNotContain("avx512", implementation);
        }
        // Eight of the nine layers have channel counts of a multiple of 8, each run forward and backward in training.
        Assert.True(lines.Count(l => l.Contains("bnorm_") && l.Contains("jit")) >= 3 * 8, string.Join('\n', lines));
    }

    private static List<string> VerboseBench(string? maxIsa)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "AlexNet.Cli.dll"), "bench", "--arch", "keras-cifar10", "--backend", "onednn",
                     "--batch", "16", "--steps", "1", "--warmup", "0" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ONEDNN_VERBOSE"] = "1";
        if (maxIsa is null) start.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        else start.Environment["ONEDNN_MAX_CPU_ISA"] = maxIsa;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"alexnet bench exited with {process.ExitCode}: {error.Result}");
        return output.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
    }
}
