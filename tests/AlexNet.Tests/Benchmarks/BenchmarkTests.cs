using AlexNet.Backends;
using AlexNet.Benchmarks;
using AlexNet.Models;
using Xunit;

namespace AlexNet.Tests.Benchmarks;

public sealed class BenchmarkTests
{
    [Fact]
    public void PeakMemoryLineIsReadInBytes()
    {
        Assert.True(ProcessMemory.TryParseKilobytes("VmHWM:\t  123456 kB", "VmHWM:", out var kilobytes));
        Assert.Equal(123456, kilobytes);
        Assert.False(ProcessMemory.TryParseKilobytes("VmRSS:\t  123456 kB", "VmHWM:", out _));
        Assert.False(ProcessMemory.TryParseKilobytes("VmHWM:\t  lots kB", "VmHWM:", out _));
    }

    [Fact]
    public void ProfileAveragesRowsPerLayerInForwardOrder()
    {
        var profile = new LayerProfile();
        for (var step = 0; step < 2; step++)
        {
            profile.Add("a", LayerProfile.ForwardPass, TimeSpan.FromMilliseconds(2));
            profile.Add("b", LayerProfile.ForwardPass, TimeSpan.FromMilliseconds(4));
            profile.Add("b", LayerProfile.BackwardPass, TimeSpan.FromMilliseconds(6));
            profile.Add("a", LayerProfile.BackwardPass, TimeSpan.FromMilliseconds(8));
        }
        var summary = StepProfile.FromRows(profile.Rows, steps: 2, stepMilliseconds: 40, optimizerMilliseconds: 5);
        Assert.Equal(["a", "b"], summary.Layers.Select(l => l.Layer));
        Assert.Equal(2, summary.Layers[0].ForwardMilliseconds, 9);
        Assert.Equal(8, summary.Layers[0].BackwardMilliseconds, 9);
        Assert.Equal(0.25, summary.Layers[0].Share, 9);
        Assert.Equal(0.25, summary.Layers[1].Share, 9);
        Assert.Equal(20, summary.OtherMilliseconds, 9);
    }

    [Fact]
    public void SyntheticBatchIsSeededAndLabelsAreValidClasses()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.Mini, Classes: 10));
        var a = StepBenchmark.SyntheticBatch(network, 3, seed: 7);
        var b = StepBenchmark.SyntheticBatch(network, 3, seed: 7);
        var c = StepBenchmark.SyntheticBatch(network, 3, seed: 8);
        Assert.Equal(a.Images.Data, b.Images.Data);
        Assert.NotEqual(a.Images.Data, c.Images.Data);
        Assert.All(a.Labels, label => Assert.InRange(label, 0, 9));
        var mean = a.Images.Data.Average();
        Assert.InRange(mean, -0.2, 0.2);
    }

    [Fact]
    public void TrainingStepsChangeTheWeights()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, Classes: 10), seed: 1);
        var before = network.Parameters[0].Value.Data.ToArray();
        var result = StepBenchmark.Run(network, ManagedBackend.Instance, new BenchmarkOptions(Batch: 2, Steps: 1, Warmup: 0));
        Assert.NotEqual(before, network.Parameters[0].Value.Data);
        Assert.Equal(2, result.Batch);
        Assert.Equal("managed", result.Backend);
    }
}
