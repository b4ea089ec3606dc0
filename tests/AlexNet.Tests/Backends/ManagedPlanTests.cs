using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Randomness;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Backends;

/// <summary>
/// The managed plan reuses activation and gradient buffers between steps and lets ReLU work in place; training
/// through it must give bitwise the weights that fresh tensors in every layer give.
/// </summary>
public sealed class ManagedPlanTests
{
    private static Tensor Input(int batch, Shape sample, ulong seed)
    {
        var x = new Tensor(sample.WithBatch(batch));
        var random = new RandomStream(seed);
        for (var i = 0; i < x.Length; i++) x.Data[i] = (float)random.NextNormal();
        return x;
    }

    private static float Step(Func<Tensor, ForwardContext, Tensor> forward, Action<Tensor> backward, Network network, Optimizer optimizer,
        Tensor x, int[] labels, long step)
    {
        network.ZeroGradients();
        var logits = forward(x, new ForwardContext(true, 5, step));
        var gradient = new Tensor(logits.Shape);
        var loss = SoftmaxCrossEntropy.Loss(logits, labels, gradient);
        backward(gradient);
        optimizer.Step();
        return loss;
    }

    [Theory]
    [InlineData(Architecture.Mini)]
    [InlineData(Architecture.Torchvision)]
    public void PlanTrainingMatchesFreshTensorsBitwise(Architecture architecture)
    {
        var config = architecture == Architecture.Mini
            ? new ModelConfig(architecture, Classes: 10)
            : new ModelConfig(architecture, Classes: 7, InputSize: 67, Widths: new LayerWidths(8, 12, 16, 12, 8, 32));
        var (reference, planned) = (ModelFactory.Create(config, 3), ModelFactory.Create(config, 3));
        var (referenceOptimizer, plannedOptimizer) = (new SgdOptimizer(reference.Parameters, 0.05, new SgdOptions()), new SgdOptimizer(planned.Parameters, 0.05, new SgdOptions()));
        using var plan = ManagedBackend.Instance.CreatePlan(planned);
        // Batch sizes change between steps so that buffers are both reused and replaced.
        int[] batches = [3, 3, 2, 3];
        for (var step = 0; step < batches.Length; step++)
        {
            var x = Input(batches[step], reference.InputShape, (ulong)step);
            var labels = Enumerable.Range(0, batches[step]).Select(n => (n * 5 + step) % config.Classes).ToArray();
            var expected = Step(reference.Forward, reference.Backward, reference, referenceOptimizer, x, labels, step);
            var actual = Step(plan.Forward, plan.Backward, planned, plannedOptimizer, x, labels, step);
            Assert.Equal(expected, actual);
            // An inference pass between steps shares the buffers and must not disturb the next step.
            var inferred = plan.Forward(x, ForwardContext.Inference).Data.ToArray();
            Assert.Equal(reference.Forward(x, ForwardContext.Inference).Data, inferred);
        }
        for (var i = 0; i < reference.Parameters.Count; i++)
        {
            Assert.Equal(reference.Parameters[i].Value.Data, planned.Parameters[i].Value.Data);
        }
    }

    /// <summary>
    /// A truncated network (feature extraction) shares the whole network's layers: ending at a convolution that a ReLU
    /// follows in the whole network, its managed plan must still give the convolution's own output, unclamped.
    /// </summary>
    [Fact]
    public void NetworkTruncatedAtAConvolutionGivesItsOutputUnclamped()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, Classes: 10), 2);
        var x = Input(2, network.InputShape, 4);
        using (var whole = ManagedBackend.Instance.CreatePlan(network)) whole.Forward(x, ForwardContext.Inference);
        var conv1 = network.Layers.ToList().FindIndex(layer => layer is ConvolutionLayer);
        Assert.IsType<ReluLayer>(network.Layers[conv1 + 1]);
        var truncated = network.Truncated(conv1);
        using var plan = ManagedBackend.Instance.CreatePlan(truncated);
        var features = plan.Forward(x, ForwardContext.Inference).Data.ToArray();
        Assert.Contains(features, v => v < 0);
        Assert.Equal(truncated.Forward(x, ForwardContext.Inference).Data.ToArray(), features);
    }

    [Fact]
    public void InputIsNotModifiedByAPlan()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, Classes: 10), 1);
        using var plan = ManagedBackend.Instance.CreatePlan(network);
        var x = Input(2, network.InputShape, 9);
        var copy = x.Data.ToArray();
        plan.Forward(x, new ForwardContext(true, 1, 0));
        plan.Backward(new Tensor(2, 10));
        Assert.Equal(copy, x.Data);
    }
}
