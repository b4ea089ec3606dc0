using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>
/// Activation and gradient buffers that an execution plan owns and hands to its layers, so that a training
/// step reuses the previous step's memory instead of allocating (and page-faulting in) fresh multi-megabyte
/// tensors in every layer. A buffer is keyed by its layer and a slot number chosen by that layer; it is
/// returned as it was left (not cleared), so a layer may only take one it overwrites completely. Like its
/// plan, one instance serves one thread at a time, and a buffer stays valid until its layer's next call.
/// </summary>
public sealed class LayerBuffers
{
    private readonly Dictionary<(Layer Layer, int Slot), Tensor> _tensors = [];
    private readonly Dictionary<(Layer Layer, int Slot), int[]> _indices = [];

    /// <summary>The tensor of (layer, slot) with this shape: the previous one when its shape matches, else a new one.</summary>
    public Tensor Tensor(Layer layer, int slot, Shape shape)
    {
        if (_tensors.TryGetValue((layer, slot), out var tensor))
        {
            if (tensor.Shape.Equals(shape)) return tensor;
            if (tensor.Length == shape.ElementCount) return _tensors[(layer, slot)] = tensor.Reshape(shape);
        }
        return _tensors[(layer, slot)] = new Tensor(shape);
    }

    /// <summary>An int array of exactly this length for (layer, slot), reused like <see cref="Tensor"/>.</summary>
    public int[] Indices(Layer layer, int slot, int length)
    {
        if (_indices.TryGetValue((layer, slot), out var array) && array.Length == length) return array;
        return _indices[(layer, slot)] = new int[length];
    }

    /// <summary>Bytes held, for reports.</summary>
    public long Bytes => _tensors.Values.Sum(t => (long)t.Length * sizeof(float)) + _indices.Values.Sum(a => (long)a.Length * sizeof(int));

    public void Clear()
    {
        _tensors.Clear();
        _indices.Clear();
    }
}
