using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Inference.Features;

/// <summary>
/// The activation of one named layer (pool5, fc6, fc7, relu7 …) for batches of images: the network's layers up
/// to that one, compiled on a backend and run in inference mode (dropout off), each sample's activation
/// flattened into one row. A plan serves one thread at a time.
/// </summary>
public sealed class FeatureExtractor : IDisposable
{
    private readonly IExecutionPlan _plan;

    public FeatureExtractor(Network network, string layer, IBackend? backend = null)
    {
        var index = LayerNames.IndexOf(network, layer, "--layer");
        Layer = network.Layers[index].Name;
        FeatureShape = network.OutputShapeOf(index);
        Dimension = checked((int)FeatureShape.ElementCount);
        InputShape = network.InputShape;
        _plan = (backend ?? ManagedBackend.Instance).CreatePlan(network.Truncated(index));
    }

    /// <summary>The layer's own name (torchvision's <c>classifier.4</c> for <c>fc7</c>).</summary>
    public string Layer { get; }

    /// <summary>Per-sample shape of the layer's output, e.g. (256, 6, 6) for pool5.</summary>
    public Shape FeatureShape { get; }

    /// <summary>Values per row: the element count of <see cref="FeatureShape"/>.</summary>
    public int Dimension { get; }

    public Shape InputShape { get; }

    /// <summary>Rows (N, <see cref="Dimension"/>) for an (N, C, H, W) batch; valid until the next call.</summary>
    public ReadOnlySpan<float> Extract(Tensor batch) => _plan.Forward(batch, ForwardContext.Inference).Data.AsSpan(0, batch.BatchSize * Dimension);

    public void Dispose() => _plan.Dispose();
}
