using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using AlexNet.Training;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// --freeze on oneDNN: the compiled plan's backward pass ends at the first trainable layer (no backward primitive
/// of a frozen layer runs), frozen parameters stay bitwise unchanged, and the trainable ones follow the managed
/// backend within relative 1e-4.
/// </summary>
public sealed class FrozenBackwardTests
{
    private const ulong Seed = 5;

    private static Network Create(Architecture architecture) => ModelFactory.Create(architecture == Architecture.Mini
        ? new ModelConfig(Architecture.Mini, Classes: 10)
        : new ModelConfig(architecture, Classes: 10, InputSize: 99, Widths: new LayerWidths(16, 32, 48, 48, 32, 64)), Seed);

    /// <summary>Three SGD steps with momentum and weight decay; the profile of the last step's passes.</summary>
    private static LayerProfile Train(Network network, IBackend backend, string freeze)
    {
        var optimizer = new TrainingOptions(FineTune: new FineTuneOptions(Freeze: freeze)).CreateOptimizer(network);
        using var plan = backend.CreatePlan(network);
        var random = new Random(3);
        var profile = new LayerProfile();
        for (var step = 0; step < 3; step++)
        {
            var input = TensorAssert.Random(random, network.InputShape.WithBatch(4).ToArray());
            var labels = Enumerable.Range(0, 4).Select(_ => random.Next(10)).ToArray();
            foreach (var p in optimizer.Parameters) p.ZeroGradient();
            plan.Profile = step == 2 ? profile : null;
            var logits = plan.Forward(input, new ForwardContext(true, Seed, step));
            var gradient = new Tensor(logits.Shape);
            SoftmaxCrossEntropy.Loss(logits, labels, gradient);
            plan.Backward(gradient);
            optimizer.Step();
        }
        return profile;
    }

    [OneDnnTheory]
    [InlineData(Architecture.Mini, "features", "fc6")]
    [InlineData(Architecture.Paper, "features", "fc6")]
    [InlineData(Architecture.Torchvision, "features", "classifier.1")]
    [InlineData(Architecture.Paper, "fc6", "fc7")]
    public void BackwardEndsAtTheFirstTrainableLayerAndFrozenWeightsStayBitwise(Architecture architecture, string freeze, string firstTrainable)
    {
        var network = Create(architecture);
        var managed = Create(architecture);
        var before = network.Parameters.ToDictionary(p => p.Name, p => p.Value.Data.ToArray());
        var profile = Train(network, OneDnnBackend.Create(), freeze);
        Train(managed, ManagedBackend.Instance, freeze);

        var backward = profile.Rows.Where(r => r.Pass == LayerProfile.BackwardPass).Select(r => r.Layer).ToList();
        Assert.StartsWith(firstTrainable, backward[^1]);
        var last = LayerFreezing.LastFrozenLayer(network, freeze);
        var frozenLayers = network.Layers.Take(last + 1).Select(l => l.Name).ToHashSet();
        Assert.DoesNotContain(backward, step => step.Split('+', ' ').Any(frozenLayers.Contains));
        Assert.Contains(profile.Rows, r => r.Pass == LayerProfile.ForwardPass && r.Layer.StartsWith(network.Layers[0].Name, StringComparison.Ordinal));

        var frozen = network.Layers.Take(last + 1).SelectMany(l => l.Parameters).Select(p => p.Name).ToHashSet();
        for (var i = 0; i < network.Parameters.Count; i++)
        {
            var parameter = network.Parameters[i];
            if (frozen.Contains(parameter.Name))
            {
                Assert.Equal(before[parameter.Name], parameter.Value.Data);
                Assert.All(parameter.Gradient.Data, g => Assert.Equal(0f, g));
            }
            else
            {
                Assert.NotEqual(before[parameter.Name], parameter.Value.Data);
                TensorAssert.Close(managed.Parameters[i].Value, parameter.Value, 1e-4, parameter.Name);
            }
        }
    }
}
