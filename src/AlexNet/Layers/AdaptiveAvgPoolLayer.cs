using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>Average pooling to a fixed output size whatever the input size (torchvision's 6×6 before fc6).</summary>
public sealed class AdaptiveAvgPoolLayer(string name, int outputHeight, int outputWidth) : Layer(name)
{
    private Shape? _inputShape;
    private LayerBuffers? _buffers;

    public int OutputHeight { get; } = outputHeight;
    public int OutputWidth { get; } = outputWidth;

    public override string Description => $"AdaptiveAvgPool {OutputHeight}×{OutputWidth}";

    public override Shape OutputShape(Shape input) => new(input[0], OutputHeight, OutputWidth);

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        CheckInput(input, 4);
        var output = OutputTensor(context, new Shape(input.BatchSize, input.Shape[1], OutputHeight, OutputWidth));
        AdaptiveAveragePooling.Forward(input.Data, output.Data, input.BatchSize * input.Shape[1], input.Shape[2], input.Shape[3], OutputHeight, OutputWidth);
        if (context.Training) (_inputShape, _buffers) = (input.Shape, context.Buffers);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var shape = Cached(_inputShape);
        var inputGradient = GradientTensor(_buffers, shape);
        AdaptiveAveragePooling.Backward(outputGradient.Data, inputGradient.Data, shape[0] * shape[1], shape[2], shape[3], OutputHeight, OutputWidth);
        return inputGradient;
    }
}
