using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.OneDnn;

/// <summary>Placeholder until the primitives are in: runs the managed layers.</summary>
internal sealed class OneDnnPlan(OneDnnBackend backend, Network network) : IExecutionPlan
{
    private readonly IExecutionPlan _inner = ManagedBackend.Instance.CreatePlan(network);

    public IBackend Backend => backend;

    public LayerProfile? Profile { get => _inner.Profile; set => _inner.Profile = value; }

    public Tensor Forward(Tensor input, ForwardContext context) => _inner.Forward(input, context);

    public void Backward(Tensor logitsGradient) => _inner.Backward(logitsGradient);

    public void Dispose() => _inner.Dispose();
}
