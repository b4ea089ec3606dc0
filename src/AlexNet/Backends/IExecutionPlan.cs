using AlexNet.Layers;
using AlexNet.Tensors;

namespace AlexNet.Backends;

/// <summary>
/// A network compiled for one backend. Forward reads the parameters' current values on every call (they change
/// between training steps); Backward accumulates into the parameters' gradients in canonical layout. A plan
/// owns buffers and is used by one thread at a time: the returned logits are valid until its next Forward.
/// </summary>
public interface IExecutionPlan : IDisposable
{
    IBackend Backend { get; }

    /// <summary>When set, Forward and Backward add one timing row per layer (or fused group) to it.</summary>
    LayerProfile? Profile { get; set; }

    /// <summary>
    /// When set, Backward calls it with a layer's parameters as soon as their gradients are final for the pass (the
    /// last layer's first), while the layers before it still run: data-parallel training starts reducing them then.
    /// It runs on the thread that called Backward; the plan does not touch those gradients again in that pass.
    /// </summary>
    Action<IReadOnlyList<Parameter>>? GradientsReady { get; set; }

    /// <summary>Logits (N, classes) for an (N, C, H, W) input.</summary>
    Tensor Forward(Tensor input, ForwardContext context);

    /// <summary>Backpropagates the gradient of the loss w.r.t. the logits of the last training Forward.</summary>
    void Backward(Tensor logitsGradient);

    /// <summary>What runs for a batch of <paramref name="batch"/> in training or inference (compiling it if need be).</summary>
    PlanDescription Describe(int batch, bool training);
}
