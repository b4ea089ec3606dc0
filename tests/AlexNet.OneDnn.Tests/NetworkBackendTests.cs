using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// Whole networks (paper, torchvision, mini; reduced widths and small inputs so the suite stays fast) on oneDNN
/// against the managed backend: logits, every parameter gradient, and three SGD steps with dropout active
/// (both backends draw the same masks), within relative 1e-4.
/// </summary>
public sealed class NetworkBackendTests
{
    private const double Tolerance = 1e-4;
    private const ulong Seed = 5;

    public static TheoryData<string, int> Networks => new()
    {
        { "paper-99", 1 }, { "paper-99", 3 },
        { "torchvision-224", 2 },
        { "torchvision-99", 3 },
        { "mini-28", 1 }, { "mini-28", 3 },
    };

    private static Network Create(string name)
    {
        var config = name switch
        {
            "paper-99" => new ModelConfig(Architecture.Paper, Classes: 10, InputSize: 99, Widths: new LayerWidths(16, 32, 48, 48, 32, 64)),
            "torchvision-224" => new ModelConfig(Architecture.Torchvision, Classes: 10, InputSize: 224, Widths: new LayerWidths(8, 16, 24, 16, 16, 32)),
            "torchvision-99" => new ModelConfig(Architecture.Torchvision, Classes: 7, InputSize: 99, Widths: new LayerWidths(8, 16, 24, 16, 16, 32)),
            "mini-28" => new ModelConfig(Architecture.Mini, Classes: 10, InputChannels: 1, InputSize: 28),
            _ => throw new ArgumentException(name),
        };
        return ModelFactory.Create(config, Seed);
    }

    private static (Tensor Input, int[] Labels) Batch(Network network, int batch)
    {
        var random = new Random(batch);
        var input = TensorAssert.Random(random, network.InputShape.WithBatch(batch).ToArray());
        return (input, Enumerable.Range(0, batch).Select(_ => random.Next(network.Config.Classes)).ToArray());
    }

    private static float Step(IExecutionPlan plan, Network network, Tensor input, int[] labels, long step)
    {
        network.ZeroGradients();
        var logits = plan.Forward(input, new ForwardContext(true, Seed, step));
        var gradient = new Tensor(logits.Shape);
        var loss = SoftmaxCrossEntropy.Loss(logits, labels, gradient);
        plan.Backward(gradient);
        return loss;
    }

    [OneDnnTheory]
    [MemberData(nameof(Networks))]
    public void LogitsAndEveryGradientMatchTheManagedBackend(string name, int batch)
    {
        var network = Create(name);
        var (input, labels) = Batch(network, batch);
        using var managed = ManagedBackend.Instance.CreatePlan(network);
        using var onednn = OneDnnBackend.Create().CreatePlan(network);

        TensorAssert.Close(managed.Forward(input, ForwardContext.Inference), onednn.Forward(input, ForwardContext.Inference), Tolerance, "inference logits");
        var expectedLogits = managed.Forward(input, new ForwardContext(true, Seed, 11)).Clone();
        TensorAssert.Close(expectedLogits, onednn.Forward(input, new ForwardContext(true, Seed, 11)), Tolerance, "training logits (dropout on)");

        Step(managed, network, input, labels, 12);
        var expected = network.Parameters.Select(p => p.Gradient.Clone()).ToList();
        Step(onednn, network, input, labels, 12);
        for (var i = 0; i < expected.Count; i++)
        {
            TensorAssert.Close(expected[i], network.Parameters[i].Gradient, Tolerance, "gradient of " + network.Parameters[i].Name);
        }
    }

    [OneDnnTheory]
    [InlineData("paper-99")]
    [InlineData("torchvision-224")]
    [InlineData("mini-28")]
    public void ThreeSgdStepsWithDropoutTrainIdentically(string name)
    {
        var (managedNetwork, onednnNetwork) = (Create(name), Create(name));
        var (input, labels) = Batch(managedNetwork, 3);
        using var managed = ManagedBackend.Instance.CreatePlan(managedNetwork);
        using var onednn = OneDnnBackend.Create().CreatePlan(onednnNetwork);
        var managedSgd = new SgdOptimizer(managedNetwork.Parameters, 0.01, new SgdOptions(0.9, 5e-4));
        var onednnSgd = new SgdOptimizer(onednnNetwork.Parameters, 0.01, new SgdOptions(0.9, 5e-4));
        for (var step = 0; step < 3; step++)
        {
            var expected = Step(managed, managedNetwork, input, labels, step);
            var actual = Step(onednn, onednnNetwork, input, labels, step);
            Assert.True(Math.Abs(actual - expected) <= Tolerance * Math.Abs(expected), $"{name} loss at step {step}: onednn {actual:G8}, managed {expected:G8}.");
            managedSgd.Step();
            onednnSgd.Step();
        }
        for (var i = 0; i < managedNetwork.Parameters.Count; i++)
        {
            TensorAssert.Close(managedNetwork.Parameters[i].Value, onednnNetwork.Parameters[i].Value, Tolerance, $"{managedNetwork.Parameters[i].Name} after 3 steps");
        }
    }

    [OneDnnFact]
    public void OnePlanServesSeveralBatchSizesAndModes()
    {
        var network = Create("mini-28");
        using var managed = ManagedBackend.Instance.CreatePlan(network);
        using var onednn = OneDnnBackend.Create().CreatePlan(network);
        foreach (var batch in new[] { 3, 1, 3, 2 })
        {
            var (input, _) = Batch(network, batch);
            TensorAssert.Close(managed.Forward(input, ForwardContext.Inference), onednn.Forward(input, ForwardContext.Inference), Tolerance, $"batch {batch}");
        }
        Assert.Throws<InvalidOperationException>(() => onednn.Backward(new Tensor(2, 10)));
    }

    [OneDnnFact]
    public void ProfileHasOneRowPerFusedGroupAndPass()
    {
        var network = Create("paper-99");
        var (input, labels) = Batch(network, 2);
        using var plan = OneDnnBackend.Create().CreatePlan(network);
        plan.Profile = new LayerProfile();
        Step(plan, network, input, labels, 0);
        var forward = plan.Profile.Rows.Where(r => r.Pass == "forward").Select(r => r.Layer).ToList();
        var backward = plan.Profile.Rows.Where(r => r.Pass == "backward").Select(r => r.Layer).ToList();
        Assert.Equal(["conv1+relu1", "norm1", "pool1", "conv2+relu2", "norm2", "pool2", "conv3+relu3", "conv4+relu4", "conv5+relu5", "pool5"],
            forward.Take(10));
        Assert.Contains("fc6+relu6", forward);
        Assert.Contains("drop7", forward);
        Assert.Equal("fc8", forward[^1]);
        Assert.Equal(forward.AsEnumerable().Reverse(), backward);
        Assert.All(plan.Profile.Rows, r => Assert.True(r.Elapsed >= TimeSpan.Zero));
    }

    [OneDnnFact]
    public void LrnOnEightChannelBlocksRunsTheManagedBlockedKernel()
    {
        // Where oneDNN lays activations out in blocks of 8 channels (AVX2), LRN runs the managed blocked kernel in place
        // of oneDNN's slower primitive; with blocks of 16 (AVX-512) oneDNN's own LRN runs.
        var network = Create("paper-99");
        using var plan = OneDnnBackend.Create().CreatePlan(network);
        foreach (var training in new[] { false, true })
        {
            var description = plan.Describe(2, training);
            var norms = description.Kernels.Where(k => k.Primitive.StartsWith("norm", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(norms);
            if (description.Isa == "avx2") Assert.All(norms, k => Assert.Equal("managed:nChw8c", k.Implementation));
            else Assert.All(norms, k => Assert.StartsWith("jit", k.Implementation));
        }
    }

    [OneDnnFact]
    public void MiniFirstLayerWeightGradientRunsTheManagedKernelOnEightChannelBlocks()
    {
        var network = Create("mini-28");
        using var plan = OneDnnBackend.Create().CreatePlan(network);
        var description = plan.Describe(2, training: true);
        var weights = Assert.Single(description.Kernels, k => k.Primitive == "conv1+relu1 backward weights");
        if (description.Isa == "avx2") Assert.Equal("managed:nChw8c", weights.Implementation);
        else Assert.StartsWith("jit", weights.Implementation);
    }

    [OneDnnFact]
    public void AdaptivePoolingHandedToManagedCodeIsAnnouncedOncePerBackend()
    {
        var network = Create("torchvision-99");
        var notices = new StringWriter();
        var backend = OneDnnBackend.Create(notices);
        using var first = backend.CreatePlan(network);
        using var second = backend.CreatePlan(network);
        foreach (var batch in new[] { 1, 2 })
        {
            var (input, _) = Batch(network, batch);
            first.Forward(input, ForwardContext.Inference);
            second.Forward(input, ForwardContext.Inference);
        }
        var lines = notices.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("avgpool", lines[0]);
        Assert.Contains("managed", lines[0]);
    }

    [OneDnnFact]
    public void AOneDnnPassAfterAManagedOneAddsToItsGradients()
    {
        // oneDNN writes gradients in place only while they are known to be zero; a managed pass makes them not.
        var network = Create("mini-28");
        var (input, labels) = Batch(network, 2);
        using var managed = ManagedBackend.Instance.CreatePlan(network);
        using var onednn = OneDnnBackend.Create().CreatePlan(network);
        void Pass(IExecutionPlan plan)
        {
            var logits = plan.Forward(input, new ForwardContext(true, Seed, 0));
            var gradient = new Tensor(logits.Shape);
            SoftmaxCrossEntropy.Loss(logits, labels, gradient);
            plan.Backward(gradient);
        }
        network.ZeroGradients();
        Pass(managed);
        var once = network.Parameters.Select(p => p.Gradient.Clone()).ToList();
        Pass(onednn);
        for (var i = 0; i < once.Count; i++)
        {
            var twice = new Tensor(once[i].Shape, once[i].Data.Select(g => 2 * g).ToArray());
            TensorAssert.Close(twice, network.Parameters[i].Gradient, Tolerance, "managed then oneDNN gradient of " + network.Parameters[i].Name);
        }
    }

    [OneDnnTheory]
    [InlineData("paper-99")]
    [InlineData("mini-28")]
    public void GradientsAccumulateOverBackwardPassesLikeTheManagedLayers(string name)
    {
        var network = Create(name);
        var (input, labels) = Batch(network, 2);
        List<Tensor> TwoPasses(IExecutionPlan plan)
        {
            network.ZeroGradients();
            for (var pass = 0; pass < 2; pass++)
            {
                var logits = plan.Forward(input, new ForwardContext(true, Seed, pass));
                var gradient = new Tensor(logits.Shape);
                SoftmaxCrossEntropy.Loss(logits, labels, gradient);
                plan.Backward(gradient);
            }
            return network.Parameters.Select(p => p.Gradient.Clone()).ToList();
        }
        using var managed = ManagedBackend.Instance.CreatePlan(network);
        using var onednn = OneDnnBackend.Create().CreatePlan(network);
        var expected = TwoPasses(managed);
        var actual = TwoPasses(onednn);
        for (var i = 0; i < expected.Count; i++)
        {
            TensorAssert.Close(expected[i], actual[i], Tolerance, "accumulated gradient of " + network.Parameters[i].Name);
        }
    }
}
