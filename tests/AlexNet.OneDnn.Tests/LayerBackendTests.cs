using AlexNet.Layers;
using AlexNet.OneDnn.Primitives;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// Layer groups on oneDNN against the managed layers (proven against PyTorch): output, input gradient and every
/// parameter gradient within relative 1e-4. The groups put layers after blocked-layout convolutions, so LRN,
/// pooling and ReLU run on oneDNN's nChw16c data as in a real network; odd and non-square sizes, batch 1 and 3.
/// </summary>
public sealed class LayerBackendTests
{
    private const double Tolerance = 1e-4;

    /// <returns>The layers the oneDNN stack ran on the managed kernels.</returns>
    internal static IReadOnlyList<string> Compare(Layer[] layers, Shape sample, int batch, int seed = 1, ForwardContext? context = null,
        Func<PrimitiveRecord, bool>? refuses = null)
    {
        context ??= new ForwardContext(true, Seed: 7, Step: 3);
        var random = new Random(seed);
        foreach (var parameter in layers.SelectMany(l => l.Parameters))
        {
            TensorAssert.Random(random, parameter.Shape.ToArray()).Data.CopyTo(parameter.Value.Data, 0);
        }
        var x = TensorAssert.Random(random, sample.WithBatch(batch).ToArray());

        var y = x;
        foreach (var layer in layers) y = layer.Forward(y, context);
        if (!context.Training)
        {
            using var inference = new OneDnnLayerStack(layers, sample, refuses);
            TensorAssert.Close(y, inference.Forward(x, context), Tolerance, "inference output");
            return inference.DelegatedLayers;
        }
        var dy = TensorAssert.Random(random, y.Shape.ToArray());
        var dx = dy;
        for (var i = layers.Length - 1; i >= 0; i--) dx = layers[i].Backward(dx);
        var expectedGradients = layers.SelectMany(l => l.Parameters).Select(p => p.Gradient.Clone()).ToList();
        foreach (var parameter in layers.SelectMany(l => l.Parameters)) parameter.ZeroGradient();

        using var stack = new OneDnnLayerStack(layers, sample, refuses);
        var actual = stack.Forward(x, context);
        TensorAssert.Close(y, actual, Tolerance, "output");
        var actualDx = stack.Backward(dy);
        Assert.NotNull(actualDx);
        TensorAssert.Close(dx, actualDx, Tolerance, "input gradient");
        var parameters = layers.SelectMany(l => l.Parameters).ToList();
        for (var i = 0; i < parameters.Count; i++)
        {
            TensorAssert.Close(expectedGradients[i], parameters[i].Gradient, Tolerance, "gradient of " + parameters[i].Name);
        }
        return stack.DelegatedLayers;
    }

    [OneDnnTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void GroupedConvolutionWithFusedReluThenPaperLrnAndOverlappingPooling(int batch) => Compare(
        [new ConvolutionLayer("conv", 6, 20, kernel: 5, stride: 1, padding: 2, groups: 2), new ReluLayer("relu"),
         new LrnLayer("norm", 5, 1e-4f, 0.75f, 2f), new MaxPoolLayer("pool", 3, 2)],
        new Shape(6, 13, 11), batch);

    [OneDnnTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void CaffeLrnWithKOneOnBlockedData(int batch) => Compare(
        [new ConvolutionLayer("conv", 3, 32, kernel: 3, stride: 2, padding: 1), new ReluLayer("relu"),
         new LrnLayer("norm", 5, 1e-4f, 0.75f, 1f), new MaxPoolLayer("pool", 3, 2)],
        new Shape(3, 17, 17), batch, seed: 2);

    [OneDnnFact]
    public void StrongLrnAndStandaloneReluAfterIt() => Compare(
        [new ConvolutionLayer("conv", 4, 16, kernel: 3, padding: 1), new LrnLayer("norm", 3, 0.5f, 0.75f, 1f), new ReluLayer("relu")],
        new Shape(4, 7, 9), batch: 3, seed: 3);

    [OneDnnTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void StridedConvolutionWithoutReluAndOddGroupWidths(int batch) => Compare(
        [new ConvolutionLayer("conv", 6, 10, kernel: 3, stride: 2, padding: 1, groups: 2), new ConvolutionLayer("conv2", 10, 12, kernel: 3, groups: 2)],
        new Shape(6, 15, 12), batch, seed: 4);

    /// <summary>One input channel (mini's conv1): on AVX2 oneDNN has only reference backward weights for the forward's layouts.</summary>
    [OneDnnTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void SingleChannelConvolutionWithFusedRelu(int batch) => Compare(
        [new ConvolutionLayer("conv", 1, 16, kernel: 5, padding: 2), new ReluLayer("relu"), new LrnLayer("norm", 5, 1e-4f, 0.75f, 2f)],
        new Shape(1, 11, 9), batch, seed: 10);

    [OneDnnFact]
    public void PoolingOnEvenSizes() => Compare(
        [new ConvolutionLayer("conv", 3, 16, kernel: 1), new MaxPoolLayer("pool", 3, 2)], new Shape(3, 12, 12), batch: 3, seed: 5);

    [OneDnnTheory]
    [InlineData(1)]
    [InlineData(3)]
    public void ClassifierWithDropoutDrawsTheManagedMasks(int batch) => Compare(
        [new FlattenLayer("flatten"), new LinearLayer("fc6", 3 * 5 * 5, 33), new ReluLayer("relu6"), new DropoutLayer("drop6", 0.5f),
         new LinearLayer("fc7", 33, 17), new ReluLayer("relu7"), new DropoutLayer("drop7", 0.5f), new LinearLayer("fc8", 17, 5)],
        new Shape(3, 5, 5), batch, seed: 6);

    [OneDnnFact]
    public void TorchvisionOrderDropoutBeforeLinearOnBlockedFeatures() => Compare(
        [new ConvolutionLayer("conv", 3, 16, kernel: 3, padding: 1), new ReluLayer("relu"), new MaxPoolLayer("pool", 3, 2),
         new AdaptiveAvgPoolLayer("avgpool", 3, 3), new FlattenLayer("flatten"), new DropoutLayer("drop", 0.5f), new LinearLayer("fc", 16 * 3 * 3, 7)],
        new Shape(3, 7, 7), batch: 3, seed: 7);

    [OneDnnFact]
    public void AdaptivePoolingToAnotherSizeRunsOnTheManagedLayerAndSaysSo()
    {
        var layers = new Layer[] { new ConvolutionLayer("conv", 3, 16, kernel: 3), new ReluLayer("relu"), new AdaptiveAvgPoolLayer("avgpool", 6, 6) };
        Compare(layers, new Shape(3, 11, 9), batch: 3, seed: 8);
        using var stack = new OneDnnLayerStack(layers, new Shape(3, 11, 9));
        stack.Forward(new Tensor(2, 3, 11, 9), ForwardContext.Inference);
        Assert.Contains(stack.Notices, n => n.Contains("avgpool") && n.Contains("managed"));
    }

    [OneDnnFact]
    public void InferenceDropsDropoutAndMatches() => Compare(
        [new ConvolutionLayer("conv", 3, 8, kernel: 3), new ReluLayer("relu"), new LrnLayer("norm", 5, 1e-4f, 0.75f, 2f),
         new FlattenLayer("flatten"), new DropoutLayer("drop", 0.5f), new LinearLayer("fc", 8 * 5 * 5, 4)],
        new Shape(3, 7, 7), batch: 3, seed: 9, ForwardContext.Inference);

    [OneDnnFact]
    public void ReluAfterConvolutionIsFusedIntoIt()
    {
        using var stack = new OneDnnLayerStack([new ConvolutionLayer("conv", 3, 16, kernel: 3), new ReluLayer("relu"), new FlattenLayer("flatten"),
            new LinearLayer("fc", 16 * 5 * 5, 8), new ReluLayer("relu2")], new Shape(3, 7, 7));
        stack.Forward(new Tensor(2, 3, 7, 7), ForwardContext.Inference);
        Assert.Contains("conv+relu", stack.StepNames);
        Assert.Contains("fc+relu2", stack.StepNames);
        Assert.DoesNotContain("relu", stack.StepNames);
    }
}
