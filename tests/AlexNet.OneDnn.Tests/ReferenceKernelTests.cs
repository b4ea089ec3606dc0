using System.Diagnostics;
using System.Text.Json;
using AlexNet.Models;
using AlexNet.OneDnn.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// Every shipped architecture, compiled for training and inference at batch 1, 8, 64 and 128, runs no oneDNN
/// reference (<c>ref:</c>) implementation: neither with the widest instruction set this CPU has nor limited to AVX2
/// (<c>ONEDNN_MAX_CPU_ISA=AVX2</c>, which oneDNN reads once per process, hence a child process per set). The child
/// is <c>alexnet kernels --json</c>, which lists every primitive with the implementation oneDNN chose.
/// </summary>
public sealed class ReferenceKernelTests(ITestOutputHelper log)
{
    private static readonly int[] Batches = [1, 8, 64, 128];

    [OneDnnTheory]
    [InlineData(null)]
    [InlineData("AVX2")]
    public void NoArchitectureRunsAReferenceKernel(string? maxIsa)
    {
        var listing = Kernels(maxIsa);
        var expected = Enum.GetValues<Architecture>().SelectMany(a => Batches.SelectMany(b => new[] { (a.ToName(), b, "inference"), (a.ToName(), b, "training") }));
        var seen = new List<(string, int, string)>();
        var references = new List<string>();
        foreach (var plan in listing.RootElement.EnumerateArray())
        {
            var (arch, batch, mode) = (plan.GetProperty("arch").GetString()!, plan.GetProperty("batch").GetInt32(), plan.GetProperty("mode").GetString()!);
            seen.Add((arch, batch, mode));
            Assert.Equal("onednn", plan.GetProperty("backend").GetString());
            if (maxIsa is not null) Assert.Equal("avx2", plan.GetProperty("isa").GetString());
            var kernels = plan.GetProperty("kernels").EnumerateArray().ToList();
            Assert.NotEmpty(kernels);
            foreach (var kernel in kernels)
            {
                var implementation = kernel.GetProperty("implementation").GetString()!;
                if (implementation.StartsWith("ref", StringComparison.Ordinal)) references.Add($"{arch} batch {batch} {mode}: {kernel.GetProperty("primitive").GetString()} {implementation}");
            }
            var delegated = plan.GetProperty("delegated_layers").EnumerateArray().Select(l => l.GetString()).ToList();
            if (delegated.Count > 0) log.WriteLine($"{arch} batch {batch} {mode}: on the managed kernels: {string.Join(", ", delegated)}");
        }
        Assert.Equal(expected.Order(), seen.Order());
        Assert.True(references.Count == 0, string.Join('\n', references));
    }

    private static JsonDocument Kernels(string? maxIsa)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "AlexNet.Cli.dll"), "kernels", "--json", "--backend", "onednn",
                     "--batch", string.Join(',', Batches) })
        {
            start.ArgumentList.Add(argument);
        }
        if (maxIsa is null) start.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        else start.Environment["ONEDNN_MAX_CPU_ISA"] = maxIsa;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"alexnet kernels exited with {process.ExitCode}: {error.Result}");
        return JsonDocument.Parse(output);
    }
}
