using System.Text.Json;
using AlexNet.Cli;
using AlexNet.Models;
using AlexNet.OneDnn.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary><c>alexnet bench</c> on the oneDNN backend: its JSON names it, and its profile covers every layer.</summary>
public sealed class BenchOneDnnTests
{
    [OneDnnFact]
    public void ProfileGroupsCoverEveryLayerOnce()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var code = Program.Run(["bench", "--arch", "mini", "--batch", "3", "--steps", "1", "--warmup", "0", "--backend", "onednn", "--profile", "--json"], output, error);
        Assert.True(code == 0, error.ToString());
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Equal("onednn", json.RootElement.GetProperty("backend").GetString());
        Assert.True(json.RootElement.GetProperty("train_images_per_sec").GetDouble() > 0);
        Assert.Contains(json.RootElement.GetProperty("isa").GetString(), new[] { "avx512", "avx2" });
        Assert.Empty(json.RootElement.GetProperty("delegated_layers").EnumerateArray());
        // Fused groups are named "conv1+relu1"; extra steps such as layout changes name a layer with a note.
        var groups = json.RootElement.GetProperty("profile").GetProperty("layers").EnumerateArray()
            .Select(l => l.GetProperty("layer").GetString()!.Split(' ')[0].Split('+')).ToList();
        var network = ModelFactory.Build(new ModelConfig(Architecture.Mini, Classes: 10));
        foreach (var layer in network.Layers)
        {
            Assert.Contains(groups, g => g.Contains(layer.Name));
        }
    }
}
