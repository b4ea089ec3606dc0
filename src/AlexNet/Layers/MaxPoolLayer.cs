using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>Max pooling with a square window (3/2 in AlexNet: overlapping pooling).</summary>
public sealed class MaxPoolLayer(string name, int window, int stride) : Layer(name)
{
    private int[]? _argmax;
    private Shape? _inputShape;
    private LayerBuffers? _buffers;

    public int Window { get; } = window;
    public int Stride { get; } = stride;

    public override string Description => $"MaxPool {Window}×{Window}/{Stride}";

    public override Shape OutputShape(Shape input)
    {
        if (input.Rank != 3 || input[1] < Window || input[2] < Window)
        {
            throw new ArgumentException($"Layer '{Name}' needs (C, H, W) input of at least {Window}×{Window}, got {input}.");
        }
        var (p, q) = MaxPooling.OutputSize(input[1], input[2], Window, Stride);
        return new Shape(input[0], p, q);
    }

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        CheckInput(input, 4);
        var output = OutputTensor(context, OutputShape(input.Shape.WithoutBatch()).WithBatch(input.BatchSize));
        var argmax = context.Buffers?.Indices(this, 0, output.Length) ?? new int[output.Length];
        MaxPooling.Forward(input.Data, output.Data, argmax, input.BatchSize * input.Shape[1], input.Shape[2], input.Shape[3], Window, Stride);
        if (context.Training) (_argmax, _inputShape, _buffers) = (argmax, input.Shape, context.Buffers);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var shape = Cached(_inputShape);
        var inputGradient = GradientTensor(_buffers, shape);
        MaxPooling.Backward(outputGradient.Data, Cached(_argmax), inputGradient.Data, shape[0] * shape[1], shape[2] * shape[3],
            outputGradient.Shape[2] * outputGradient.Shape[3]);
        return inputGradient;
    }
}
