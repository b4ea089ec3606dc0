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
/// The reduced-width keras-cifar10 fixture (tests/make_batchnorm_fixtures.py: widths 8/16/24/24/16, dense 32/32/20, 10
/// classes, 32×32×3, no dropout, batch 4; γ, β and running statistics set away from their defaults) as checks any backend
/// can run: training-mode logits, loss, every parameter gradient and the running statistics after the pass, eval-mode
/// logits, and 4 SGD steps in training mode against the same network in PyTorch.
/// </summary>
public static class KerasFixtureCheck
{
    private const double Tolerance = 1e-4;

    private static readonly SafeTensorsFile Fixture = Fixtures.Parity("keras_reduced");

    public static ModelConfig Config { get; } = new(Architecture.KerasCifar10, Classes: 10, InputChannels: 3, InputSize: 32,
        Widths: new LayerWidths(8, 16, 24, 24, 16, 32, 20), DropoutProbability: 0);

    public static Network Build()
    {
        var network = ModelFactory.Build(Config);
        Checkpoint.LoadParameters(network, Fixture.Tensors.Where(t => network.TryGetStoredTensor(t.Key, out _)).ToDictionary(), "keras_reduced");
        return network;
    }

    public static void LogitsLossGradientsAndStatistics(IBackend backend)
    {
        var network = Build();
        using var plan = backend.CreatePlan(network);
        var logits = plan.Forward(Fixture["x"], new ForwardContext(true));
        TensorAssert.Close(Fixture["logits"], logits, Tolerance, "training-mode logits");
        var gradient = new Tensor(logits.Shape);
        var loss = SoftmaxCrossEntropy.Loss(logits, Fixture.Labels(), gradient);
        Assert.Equal(Fixture["loss"].Data[0], loss, 1e-5f);
        plan.Backward(gradient);
        Assert.Equal(36, network.Parameters.Count);
        // The bias of a convolution or dense layer that feeds batch normalization has a zero gradient in exact arithmetic
        // (the normalization subtracts any shift): both sides give rounding noise, held to the network's gradient scale.
        var scale = network.Parameters.Max(p => Fixture["grad." + p.Name].Data.Max(Math.Abs));
        foreach (var parameter in network.Parameters)
        {
            var expected = Fixture["grad." + parameter.Name];
            if (FeedsBatchNorm(parameter)) AssertNoise(expected, parameter.Gradient, scale, parameter.Name);
            else TensorAssert.Close(expected, parameter.Gradient, Tolerance, "gradient of " + parameter.Name);
        }
        Assert.Equal(18, network.Statistics.Count);
        foreach (var statistic in network.Statistics)
        {
            TensorAssert.Close(Fixture["after." + statistic.Name], statistic.Value, Tolerance, statistic.Name + " after a training pass");
        }
        TensorAssert.Close(Fixture["eval_logits"], plan.Forward(Fixture["x"], ForwardContext.Inference), Tolerance, "eval-mode logits");
    }

    private static bool FeedsBatchNorm(Parameter parameter) =>
        parameter.Role == ParameterRole.Bias && (parameter.Name.StartsWith("conv", StringComparison.Ordinal) || parameter.Name.StartsWith("fc", StringComparison.Ordinal));

    private static void AssertNoise(Tensor expected, Tensor actual, double scale, string name)
    {
        var bound = Tolerance * scale;
        Assert.True(expected.Data.Max(Math.Abs) <= bound, $"PyTorch's gradient of {name} is not negligible: {expected.Data.Max(Math.Abs):G4} > {bound:G4}.");
        Assert.True(actual.Data.Max(Math.Abs) <= bound, $"the gradient of {name} is not negligible: {actual.Data.Max(Math.Abs):G4} > {bound:G4}.");
    }

    public static void SgdSteps(IBackend backend)
    {
        var network = Build();
        using var plan = backend.CreatePlan(network);
        var optimizer = new SgdOptimizer(network.Parameters, Fixture.Float("sgd.lr"), new SgdOptions(Fixture.Float("momentum"), Fixture.Float("weight_decay")));
        var expected = Fixture["sgd.losses"].Data;
        var labels = Fixture.Labels();
        for (var step = 0; step < expected.Length; step++)
        {
            network.ZeroGradients();
            var logits = plan.Forward(Fixture["x"], new ForwardContext(true));
            var gradient = new Tensor(logits.Shape);
            var loss = SoftmaxCrossEntropy.Loss(logits, labels, gradient);
            Assert.True(Math.Abs(loss - expected[step]) <= Tolerance * Math.Abs(expected[step]),
                $"keras-cifar10 loss at step {step}: {loss:G8}, PyTorch {expected[step]:G8}.");
            plan.Backward(gradient);
            optimizer.Step();
        }
        network.TryGetParameter("fc9.weight", out var fc9);
        TensorAssert.Close(Fixture["sgd.fc9.weight"], fc9.Value, Tolerance, $"fc9.weight after {expected.Length} SGD steps");
        foreach (var statistic in network.Statistics)
        {
            TensorAssert.Close(Fixture["sgd." + statistic.Name], statistic.Value, Tolerance, $"{statistic.Name} after {expected.Length} SGD steps");
        }
    }
}
