using AlexNet.Checkpoints;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// The reduced-width paper AlexNet fixture from PyTorch (tests/make_parity_fixtures.py) on oneDNN: logits, loss,
/// all 16 parameter gradients and the 5-step SGD loss curve.
/// </summary>
public sealed class PaperFixtureTests
{
    private static readonly SafeTensorsFile Fixture = Fixtures.Parity("paper_reduced");

    private static Network Build()
    {
        var config = new ModelConfig(Architecture.Paper, Classes: 10, InputChannels: 3, InputSize: 99,
            Widths: new LayerWidths(16, 32, 48, 48, 32, 64), DropoutProbability: 0);
        var network = ModelFactory.Build(config);
        Checkpoint.LoadParameters(network, Fixture.Tensors.Where(t => network.TryGetParameter(t.Key, out _)).ToDictionary(), "paper_reduced");
        return network;
    }

    [OneDnnFact]
    public void LogitsLossAndEveryGradientMatchPyTorch()
    {
        var network = Build();
        using var plan = OneDnnBackend.Create().CreatePlan(network);
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

    [OneDnnFact]
    public void SgdLossCurveOfFiveStepsMatchesPyTorch()
    {
        var network = Build();
        using var plan = OneDnnBackend.Create().CreatePlan(network);
        var optimizer = new SgdOptimizer(network.Parameters, Fixture.Float("sgd.lr"), new SgdOptions(0.9, 5e-4));
        var expected = Fixture["sgd.losses"].Data;
        var labels = Fixture.Labels();
        for (var step = 0; step < expected.Length; step++)
        {
            network.ZeroGradients();
            var logits = plan.Forward(Fixture["x"], new ForwardContext(true));
            var gradient = new Tensor(logits.Shape);
            var loss = SoftmaxCrossEntropy.Loss(logits, labels, gradient);
            Assert.True(Math.Abs(loss - expected[step]) <= 1e-4 * Math.Abs(expected[step]), $"loss at step {step}: {loss:G8}, PyTorch {expected[step]:G8}.");
            if (step == expected.Length - 1) break;
            plan.Backward(gradient);
            optimizer.Step();
        }
        network.TryGetParameter("fc8.weight", out var fc8);
        TensorAssert.Close(Fixture["sgd.fc8.weight"], fc8.Value, 1e-4, "fc8.weight after 5 SGD steps");
    }
}
