using System.Text.Json;
using AlexNet.Cli;
using Xunit;
using static AlexNet.Tests.Support.CliRun;

namespace AlexNet.Tests.Cli;

public sealed class BenchCliTests : IDisposable
{
    private static readonly string Photos = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Photos");
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-bench-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void JsonHasThroughputMemoryAndSetting()
    {
        var (code, output, error) = Run("bench", "--arch", "mini", "--batch", "4", "--steps", "1", "--warmup", "0", "--backend", "managed", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("mini", root.GetProperty("arch").GetString());
        Assert.Equal("managed", root.GetProperty("backend").GetString());
        Assert.Equal(4, root.GetProperty("batch").GetInt32());
        Assert.Equal(Environment.ProcessorCount, root.GetProperty("threads").GetInt32());
        Assert.InRange(root.GetProperty("train_images_per_sec").GetDouble(), 0.01, 1e6);
        Assert.InRange(root.GetProperty("infer_images_per_sec").GetDouble(), 0.01, 1e6);
        // The test host alone holds tens of MB; no machine this runs on has a terabyte.
        Assert.InRange(root.GetProperty("peak_memory_bytes").GetInt64(), 10L << 20, 1L << 40);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("profile").ValueKind);
        Assert.Equal(ExpectedManagedIsa(), root.GetProperty("isa").GetString());
        Assert.Empty(root.GetProperty("delegated_layers").EnumerateArray());
    }

    /// <summary>
    /// keras-cifar10's batch normalization after dense layers cannot train on one image: bench times inference alone and
    /// says why training has no figure, instead of failing (deployment at batch 1 is worth timing).
    /// </summary>
    [Fact]
    public void BatchOfOneWithBatchNormTimesInferenceOnly()
    {
        var (code, output, error) = Run("bench", "--arch", "keras-cifar10", "--batch", "1", "--steps", "1", "--warmup", "0", "--backend", "managed", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("train_images_per_sec").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("train_seconds_per_step").ValueKind);
        Assert.Contains("'bn6'", root.GetProperty("training_skipped").GetString());
        Assert.InRange(root.GetProperty("infer_images_per_sec").GetDouble(), 0.01, 1e6);

        (code, output, error) = Run("bench", "--arch", "keras-cifar10", "--batch", "1", "--steps", "1", "--warmup", "0", "--backend", "managed");
        Assert.True(code == 0, error);
        Assert.Contains("training   not timed: batch normalization 'bn6' cannot train on a batch of one image", output);
    }

    [Fact]
    public void BatchOfTwoWithBatchNormTrains()
    {
        var (code, output, error) = Run("bench", "--arch", "keras-cifar10", "--batch", "2", "--steps", "1", "--warmup", "0", "--backend", "managed", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.InRange(json.RootElement.GetProperty("train_images_per_sec").GetDouble(), 0.01, 1e6);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("training_skipped").ValueKind);
    }

    private static string ExpectedManagedIsa() =>
        System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? "avx512" : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "avx2" : "scalar";

    /// <summary>The runtime's switches narrow the managed kernels' instruction set, and bench reports the one they ran with.</summary>
    [Theory]
    [InlineData("DOTNET_EnableAVX512F", "avx2")]
    [InlineData("DOTNET_EnableAVX2", "scalar")]
    public async Task JsonNamesTheInstructionSetTheRuntimeAllows(string switchOff, string expected)
    {
        if (expected == "avx2" && !System.Runtime.Intrinsics.X86.Avx2.IsSupported) expected = "scalar";
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "AlexNet.Cli.dll"), "bench", "--arch", "mini", "--batch", "2", "--steps", "1",
                     "--warmup", "0", "--backend", "managed", "--json" })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment[switchOff] = "0";
        using var process = System.Diagnostics.Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await error);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(expected, json.RootElement.GetProperty("isa").GetString());
    }

    [Fact]
    public void ProfileListsEveryLayerOfTheNetwork()
    {
        var (code, output, error) = Run("bench", "--arch", "mini", "--batch", "2", "--steps", "1", "--warmup", "0", "--profile", "--backend", "managed");
        Assert.True(code == 0, error);
        var network = AlexNet.Models.ModelFactory.Build(new AlexNet.Models.ModelConfig(AlexNet.Models.Architecture.Mini, Classes: 10));
        var rows = output.Split('\n').Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length > 0).ToList();
        foreach (var layer in network.Layers)
        {
            var row = rows.Single(f => f[0] == layer.Name);
            Assert.Equal(5, row.Length);
        }
        Assert.Contains(rows, f => f[0] == "step");
    }

    [Fact]
    public void ProfileJsonSharesAreFractionsOfTheStep()
    {
        var (code, output, error) = Run("bench", "--arch", "mini", "--batch", "2", "--steps", "2", "--warmup", "0", "--profile", "--json", "--backend", "managed");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var profile = json.RootElement.GetProperty("profile");
        var layers = profile.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal("conv1", layers[0].GetProperty("layer").GetString());
        Assert.Equal("fc8", layers[^1].GetProperty("layer").GetString());
        var shares = layers.Sum(l => l.GetProperty("share").GetDouble());
        Assert.InRange(shares, 0.05, 1.0);
        var stepMs = profile.GetProperty("step_ms").GetDouble();
        Assert.Equal(json.RootElement.GetProperty("train_seconds_per_step").GetDouble() * 1000, stepMs, 6);
    }

    [Fact]
    public void OneDnnProfileRowsCoverEveryLayerOnce()
    {
        var (code, output, error) = Run("bench", "--arch", "mini", "--batch", "2", "--steps", "1", "--warmup", "0", "--profile", "--json", "--backend", "auto");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        if (json.RootElement.GetProperty("backend").GetString() != "onednn") return;
        // oneDNN fuses ReLU into the layer before it: a row is named after every layer of its group, joined by '+',
        // and a layout change may add a row such as "flatten (to plain layout)".
        var names = json.RootElement.GetProperty("profile").GetProperty("layers").EnumerateArray()
            .SelectMany(l => l.GetProperty("layer").GetString()!.Split(' ')[0].Split('+')).ToList();
        var network = AlexNet.Models.ModelFactory.Build(new AlexNet.Models.ModelConfig(AlexNet.Models.Architecture.Mini, Classes: 10));
        Assert.Equal(network.Layers.Select(l => l.Name).Order(), names.Distinct().Order());
    }

    [Theory]
    [InlineData("--batch", "0", "--batch must be at least 1")]
    [InlineData("--steps", "0", "--steps must be at least 1")]
    [InlineData("--warmup", "-1", "--warmup must be 0 or more")]
    [InlineData("--arch", "vgg", "Unknown architecture 'vgg'")]
    public void BadOptionsFailWithAMessageNamingThem(string option, string value, string message)
    {
        string[] args = option == "--arch" ? ["bench", option, value] : ["bench", "--arch", "mini", option, value];
        var (code, output, error) = Run(args);
        Assert.Equal(1, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Equal("", output);
    }

    [Fact]
    public void UnknownBackendIsRejectedByTheParser()
    {
        var (code, _, error) = Run("bench", "--arch", "mini", "--backend", "cuda");
        Assert.NotEqual(0, code);
        Assert.Contains("cuda", error);
    }

    private string PhotoFolder()
    {
        var root = Path.Combine(_folder, "photos");
        foreach (var (label, file) in new[] { ("cat", "chelsea_422.jpg"), ("coffee", "coffee_444.jpg"), ("astronaut", "astronaut_420.jpg") })
        {
            var folder = Directory.CreateDirectory(Path.Combine(root, label)).FullName;
            File.Copy(Path.Combine(Photos, file), Path.Combine(folder, file));
            File.Copy(Path.Combine(Photos, file), Path.Combine(folder, "copy_" + file));
        }
        return root;
    }

    [Fact]
    public void TrainingStepsCanComeFromAnImageFolder()
    {
        var root = PhotoFolder();
        var (code, output, error) = Run("bench", "--arch", "mini", "--batch", "2", "--steps", "4", "--warmup", "1", "--data", root, "--workers", "1", "--backend", "managed", "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        Assert.StartsWith(root, json.RootElement.GetProperty("data").GetString());
        Assert.True(json.RootElement.GetProperty("train_images_per_sec").GetDouble() > 0);
    }

    [Fact]
    public void AnImageFolderSmallerThanOneBatchIsAnError()
    {
        var root = PhotoFolder();
        var (code, _, error) = Run("bench", "--arch", "mini", "--batch", "7", "--steps", "1", "--data", root, "--backend", "managed");
        Assert.Equal(1, code);
        Assert.Contains("has 6 training images, fewer than one batch of 7 (--batch)", error);
    }
}
