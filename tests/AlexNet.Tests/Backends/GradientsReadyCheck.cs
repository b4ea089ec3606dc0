using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Backends;

/// <summary>
/// What data-parallel training relies on in any backend's plan: during Backward, every trainable parameter is
/// reported once, layer by layer from the last, and what its gradient holds when reported is already the final
/// gradient; frozen layers (fine-tuning's --freeze), which see no backward pass, are not reported.
/// </summary>
public static class GradientsReadyCheck
{
    public static void EveryGradientIsReportedOnceInReverseLayerOrderWhenFinal(IBackend backend, Architecture architecture, string? freeze = null)
    {
        var config = architecture switch
        {
            Architecture.Mini => new ModelConfig(Architecture.Mini, Classes: 5),
            Architecture.KerasCifar10 => new ModelConfig(architecture, Classes: 5, Widths: new LayerWidths(8, 16, 16, 16, 8, 32, 16)),
            _ => new ModelConfig(architecture, Classes: 5, InputSize: 99, Widths: new LayerWidths(16, 32, 48, 48, 32, 64)),
        };
        var network = ModelFactory.Create(config, seed: 11);
        var trainable = LayerFreezing.Apply(network, freeze);
        using var plan = backend.CreatePlan(network);
        var reported = new List<(string Name, float[] Gradient)>();
        plan.GradientsReady = parameters => reported.AddRange(parameters.Select(p => (p.Name, p.Gradient.Data.ToArray())));
        var input = new Tensor(network.InputShape.WithBatch(3));
        for (var i = 0; i < input.Length; i++) input.Data[i] = MathF.Sin(i * 0.37f);
        network.ZeroGradients();
        var logits = plan.Forward(input, new ForwardContext(true, 5, 1));
        var gradient = new Tensor(logits.Shape);
        SoftmaxCrossEntropy.Loss(logits, [0, 3, 4], gradient);
        plan.Backward(gradient);

        Assert.Equal(trainable.Select(p => p.Name).Order(), reported.Select(r => r.Name).Order());
        if (freeze is not null) Assert.True(trainable.Count < network.Parameters.Count, $"--freeze {freeze} froze nothing");
        var layerOf = network.Layers.SelectMany((layer, index) => layer.Parameters.Select(p => (p.Name, index))).ToDictionary();
        var layers = reported.Select(r => layerOf[r.Name]).ToList();
        Assert.Equal(layers.OrderByDescending(l => l), layers);
        foreach (var (name, early) in reported)
        {
            Assert.True(network.TryGetParameter(name, out var parameter));
            Assert.Equal(parameter.Gradient.Data, early);
            Assert.Contains(early, v => v != 0);
        }
    }
}
