using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>(N, C, H, W) → (N, C·H·W), sharing memory; C-order, so it matches PyTorch's Flatten.</summary>
public sealed class FlattenLayer(string name) : Layer(name)
{
    private Shape? _inputShape;

    public override string Description => "Flatten";

    public override Shape OutputShape(Shape input) => input.ElementCount <= int.MaxValue ? new((int)input.ElementCount)
        : throw new ArgumentException($"Layer '{Name}' cannot flatten {input} = {input.ElementCount:N0} features into one dimension.");

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        _inputShape = input.Shape;
        return input.Reshape(new Shape(input.BatchSize, input.ItemLength));
    }

    public override Tensor Backward(Tensor outputGradient) => outputGradient.Reshape(Cached(_inputShape));
}
