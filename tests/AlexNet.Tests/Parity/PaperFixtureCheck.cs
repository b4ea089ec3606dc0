using AlexNet.Backends;
using AlexNet.Checkpoints;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.Tests.Parity;

/// <summary>
/// The reduced-width paper AlexNet fixture (16/32/48/48/32 filters, 64 hidden units, 10 classes, 99×99 input, no
/// dropout so that PyTorch's random masks need not be reproduced) as checks any backend can run: logits, loss,
/// every parameter gradient, and the loss through 5 optimizer steps, against the same network in PyTorch.
/// </summary>
public static class PaperFixtureCheck
{
    private static readonly SafeTensorsFile Fixture = Fixtures.Parity("paper_reduced");

    public static Network Build()
    {
        var config = new ModelConfig(Architecture.Paper, Classes: 10, InputChannels: 3, InputSize: 99,
            Widths: new LayerWidths(16, 32, 48, 48, 32, 64), DropoutProbability: 0);
        var network = ModelFactory.Build(config);
        Checkpoint.LoadParameters(network, Fixture.Tensors.Where(t => network.TryGetParameter(t.Key, out _)).ToDictionary(), "paper_reduced");
        return network;
    }

    public static void LogitsLossAndEveryGradient(IBackend backend)
    {
        var network = Build();
        using var plan = backend.CreatePlan(network);
        var logits = plan.Forward(Fixture["x"], new ForwardContext(true));
        TensorAssert.Close(Fixture["logits"], logits, 1e-4, "logits");
        var gradient = new Tensor(logits.Shape);
        var loss = SoftmaxCrossEntropy.Loss(logits, Fixture.Labels(), gradient);
        Assert.Equal(Fixture["loss"].Data[0], loss, 1e-5f);
        plan.Backward(gradient);
        Assert.Equal(16, network.Parameters.Count);
        foreach (var parameter in network.Parameters)
        {
            TensorAssert.Close(Fixture["grad." + parameter.Name], parameter.Gradient, 1e-4, "gradient of " + parameter.Name);
        }
    }

    /// <param name="optimizerName">sgd, nesterov or adam: the fixture's keys for that optimizer.</param>
    public static void LossCurveOfFiveSteps(IBackend backend, string optimizerName)
    {
        var network = Build();
        using var plan = backend.CreatePlan(network);
        var lr = Fixture.Float(optimizerName + ".lr");
        Optimizer optimizer = optimizerName switch
        {
            "adam" => new AdamOptimizer(network.Parameters, lr, new AdamOptions(WeightDecay: 5e-4)),
            _ => new SgdOptimizer(network.Parameters, lr, new SgdOptions(0.9, 5e-4, Nesterov: optimizerName == "nesterov")),
        };
        var expected = Fixture[optimizerName + ".losses"].Data;
        var labels = Fixture.Labels();
        for (var step = 0; step < expected.Length; step++)
        {
            network.ZeroGradients();
            var logits = plan.Forward(Fixture["x"], new ForwardContext(true));
            var gradient = new Tensor(logits.Shape);
            var loss = SoftmaxCrossEntropy.Loss(logits, labels, gradient);
            // Losses near 2.2 move by ~1e-2 per step; 1e-4 relative keeps every step's change visible.
            Assert.True(Math.Abs(loss - expected[step]) <= 1e-4 * Math.Abs(expected[step]),
                $"{optimizerName} loss at step {step}: {loss:G8}, PyTorch {expected[step]:G8}.");
            if (step == expected.Length - 1) break;
            plan.Backward(gradient);
            optimizer.Step();
        }
        network.TryGetParameter("fc8.weight", out var fc8);
        TensorAssert.Close(Fixture[optimizerName + ".fc8.weight"], fc8.Value, 1e-4, $"fc8.weight after 5 {optimizerName} steps");
    }
}
