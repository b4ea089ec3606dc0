using AlexNet.Layers;

namespace AlexNet.Models;

/// <summary>
/// The layer stack the paper, Caffe and mini variants share: five convolutions (conv2, conv4, conv5 grouped in
/// two, the paper's two-GPU split), LRN (size 5, α 1e-4, β 0.75) after ReLU of conv1 and conv2, overlapping
/// 3/2 max pooling, and fc6/fc7 with dropout after their ReLU. conv1's geometry, LRN's k (2 in the paper, 1 in
/// Caffe) and whether pooling comes before normalization (CaffeNet) are what differ between them.
/// </summary>
internal static class AlexNetStack
{
    public static Network Build(ModelConfig config, int conv1Kernel, int conv1Stride, int conv1Padding, float lrnK = 2f,
        bool poolBeforeNorm = false)
    {
        var w = config.Widths!;
        IEnumerable<Layer> NormAndPool(int block)
        {
            var norm = new LrnLayer($"norm{block}", size: 5, alpha: 1e-4f, beta: 0.75f, k: lrnK);
            var pool = new MaxPoolLayer($"pool{block}", 3, 2);
            return poolBeforeNorm ? [pool, norm] : [norm, pool];
        }
        var layers = new List<Layer> { new ConvolutionLayer("conv1", config.InputChannels, w.Conv1, conv1Kernel, conv1Stride, conv1Padding), new ReluLayer("relu1") };
        layers.AddRange(NormAndPool(1));
        layers.AddRange(
        [
            new ConvolutionLayer("conv2", w.Conv1, w.Conv2, kernel: 5, padding: 2, groups: 2), new ReluLayer("relu2"),
        ]);
        layers.AddRange(NormAndPool(2));
        layers.AddRange(
        [
            new ConvolutionLayer("conv3", w.Conv2, w.Conv3, kernel: 3, padding: 1), new ReluLayer("relu3"),
            new ConvolutionLayer("conv4", w.Conv3, w.Conv4, kernel: 3, padding: 1, groups: 2), new ReluLayer("relu4"),
            new ConvolutionLayer("conv5", w.Conv4, w.Conv5, kernel: 3, padding: 1, groups: 2), new ReluLayer("relu5"),
            new MaxPoolLayer("pool5", 3, 2),
            new FlattenLayer("flatten"),
        ]);
        var features = FeatureLength(layers, config);
        layers.AddRange(
        [
            new LinearLayer("fc6", features, w.Hidden), new ReluLayer("relu6"), new DropoutLayer("drop6", config.Dropout),
            new LinearLayer("fc7", w.Hidden, w.Hidden), new ReluLayer("relu7"), new DropoutLayer("drop7", config.Dropout),
            new LinearLayer("fc8", w.Hidden, config.Classes),
        ]);
        return new Network(config, layers);
    }

    /// <summary>Length of the flattened feature vector for the configured input size.</summary>
    public static int FeatureLength(IEnumerable<Layer> featureLayers, ModelConfig config)
    {
        var shape = new Tensors.Shape(config.InputChannels, config.InputSize, config.InputSize);
        try
        {
            foreach (var layer in featureLayers) shape = layer.OutputShape(shape);
        }
        catch (ArgumentException e)
        {
            throw new AlexNetException($"Input size {config.InputSize} is too small for the {config.Architecture.ToName()} architecture: {e.Message}");
        }
        return checked((int)shape.ElementCount);
    }
}
