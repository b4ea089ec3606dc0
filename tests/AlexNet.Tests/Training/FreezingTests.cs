using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using AlexNet.Training;
using Xunit;

namespace AlexNet.Tests.Training;

/// <summary>--freeze and --backbone-lr-mult on the managed backend (the oneDNN twins are in AlexNet.OneDnn.Tests).</summary>
public sealed class FreezingTests
{
    private static readonly ImageDataset Data = SyntheticData.Squares(96, seed: 3);
    private static readonly Preprocessing Normalization = Preprocessing.FromStatistics(Data);

    private static Network Mini(ulong seed = 5) => ModelFactory.Create(new ModelConfig(Architecture.Mini, Data.ClassNames.Count), seed);

    /// <summary>Three SGD steps as the trainer takes them (momentum and weight decay on), with an optional profile of the last.</summary>
    public static Optimizer TrainSteps(Network network, TrainingOptions options, IBackend backend, LayerProfile? profile = null, int steps = 3)
    {
        var optimizer = options.CreateOptimizer(network);
        using var plan = backend.CreatePlan(network);
        var batches = new InMemoryBatches(Data, Normalization, 32, shuffle: true, seed: 1).Epoch(0).Take(steps).ToList();
        for (var s = 0; s < batches.Count; s++)
        {
            foreach (var p in optimizer.Parameters) p.ZeroGradient();
            plan.Profile = s == batches.Count - 1 ? profile : null;
            var logits = plan.Forward(batches[s].Images, new ForwardContext(true, 7, s));
            var gradient = new Tensor(logits.Shape);
            SoftmaxCrossEntropy.Loss(logits, batches[s].Labels, gradient);
            plan.Backward(gradient);
            optimizer.Step();
        }
        return optimizer;
    }

    [Fact]
    public void FrozenFeaturesStayBitwiseUnchangedWhileTheClassifierTrains()
    {
        var network = Mini();
        var before = network.Parameters.ToDictionary(p => p.Name, p => p.Value.Data.ToArray());
        var optimizer = TrainSteps(network, new TrainingOptions(FineTune: new FineTuneOptions(Freeze: "features")), ManagedBackend.Instance);

        foreach (var parameter in network.Parameters)
        {
            var frozen = parameter.Name.StartsWith("conv", StringComparison.Ordinal);
            if (frozen) Assert.Equal(before[parameter.Name], parameter.Value.Data);
            else Assert.NotEqual(before[parameter.Name], parameter.Value.Data);
        }
        // No update, no decay, no state: the optimizer does not even know the frozen parameters.
        Assert.Equal(["fc6.weight", "fc6.bias", "fc7.weight", "fc7.bias", "fc8.weight", "fc8.bias"], optimizer.Parameters.Select(p => p.Name));
        Assert.All(optimizer.StateTensors(), state => Assert.DoesNotContain(".conv", state.Key, StringComparison.Ordinal));
        // Their gradients were never written: backward stopped before reaching them.
        Assert.All(network.Parameters.Where(p => p.Name.StartsWith("conv", StringComparison.Ordinal)), p => Assert.All(p.Gradient.Data, g => Assert.Equal(0f, g)));
    }

    [Fact]
    public void BackwardStopsAtTheFirstTrainableLayer()
    {
        var network = Mini();
        var profile = new LayerProfile();
        TrainSteps(network, new TrainingOptions(FineTune: new FineTuneOptions(Freeze: "features")), ManagedBackend.Instance, profile);
        var backward = profile.Rows.Where(r => r.Pass == LayerProfile.BackwardPass).Select(r => r.Layer).ToList();
        Assert.Equal(["fc8", "drop7", "relu7", "fc7", "drop6", "relu6", "fc6"], backward);
        Assert.Equal(network.Layers.Count, profile.Rows.Count(r => r.Pass == LayerProfile.ForwardPass));
        Assert.False(network.Layers.Single(l => l.Name == "fc6").ComputesInputGradient);
    }

    [Fact]
    public void UnfreezingTheSameNetworkRestoresTheFullBackwardPass()
    {
        var network = Mini();
        LayerFreezing.Apply(network, "fc6");
        var profile = new LayerProfile();
        TrainSteps(network, new TrainingOptions(), ManagedBackend.Instance, profile, steps: 1);
        Assert.Equal(network.Layers.Count, profile.Rows.Count(r => r.Pass == LayerProfile.BackwardPass));
        Assert.False(network.Layers[0].ComputesInputGradient);
        Assert.All(network.Layers.Skip(1), l => Assert.True(l.ComputesInputGradient));
    }

    [Fact]
    public void FreezingALayerFreezesItAndEverythingBefore()
    {
        var network = Mini();
        var trainable = LayerFreezing.Apply(network, "fc6");
        Assert.Equal(["fc7.weight", "fc7.bias", "fc8.weight", "fc8.bias"], trainable.Select(p => p.Name));
        Assert.False(network.Layers.Single(l => l.Name == "fc7").ComputesInputGradient);
        // pool5 has no parameters: freezing through it freezes the convolutions.
        Assert.Equal(["fc6.weight", "fc6.bias", "fc7.weight", "fc7.bias", "fc8.weight", "fc8.bias"], LayerFreezing.Apply(network, "pool5").Select(p => p.Name));
    }

    [Fact]
    public void TorchvisionLayersAnswerToThePapersNames()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.Torchvision, 10, Widths: new LayerWidths(8, 8, 8, 8, 8, 16)));
        Assert.Equal("classifier.4", network.Layers[LayerNames.IndexOf(network, "fc7", "--layer")].Name);
        Assert.Equal("features.12", network.Layers[LayerNames.IndexOf(network, "pool5", "--layer")].Name);
        var trainable = LayerFreezing.Apply(network, LayerFreezing.Features);
        Assert.Equal(["classifier.1.weight", "classifier.1.bias", "classifier.4.weight", "classifier.4.bias", "classifier.6.weight", "classifier.6.bias"],
            trainable.Select(p => p.Name));
    }

    [Theory]
    [InlineData("fc9", "no layer 'fc9'")]
    [InlineData("fc8", "nothing would train")]
    public void BadFreezeChoicesNameTheOptionAndTheLayer(string freeze, string message)
    {
        var error = Assert.Throws<AlexNetException>(() => LayerFreezing.Apply(Mini(), freeze));
        Assert.Contains("--freeze", error.Message);
        Assert.Contains(message, error.Message);
        if (freeze == "fc9") Assert.Contains("conv1, relu1", error.Message);
    }

    [Fact]
    public void BackboneLearningRateMultiplierScalesEveryLayerButTheHead()
    {
        // Plain SGD, so that an update is −lr·scale·gradient and two recipes can be compared exactly.
        var plain = new SgdOptions(Momentum: 0, WeightDecay: 0);
        var scaled = Mini();
        TrainSteps(scaled, new TrainingOptions(LearningRate: 0.02, Sgd: plain, FineTune: new FineTuneOptions(BackboneLearningRateScale: 0.25)), ManagedBackend.Instance, steps: 1);
        var slow = Mini();
        TrainSteps(slow, new TrainingOptions(LearningRate: 0.005, Sgd: plain), ManagedBackend.Instance, steps: 1);
        var fast = Mini();
        TrainSteps(fast, new TrainingOptions(LearningRate: 0.02, Sgd: plain), ManagedBackend.Instance, steps: 1);
        var start = Mini();
        for (var i = 0; i < scaled.Parameters.Count; i++)
        {
            var name = scaled.Parameters[i].Name;
            var reference = name.StartsWith("fc8", StringComparison.Ordinal) ? fast : slow;
            TensorAssert.Close(reference.Parameters[i].Value.Data, scaled.Parameters[i].Value.Data, 1e-6, name);
            Assert.NotEqual(start.Parameters[i].Value.Data, scaled.Parameters[i].Value.Data);
        }
    }

    [Fact]
    public void TheBackboneMultiplierMustBePositive()
    {
        var error = Assert.Throws<AlexNetException>(() => new TrainingOptions(FineTune: new FineTuneOptions(BackboneLearningRateScale: 0)).Validate());
        Assert.Contains("--backbone-lr-mult", error.Message);
    }
}
