using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>y = max(x, 0); the gradient passes where the output is positive (0 at x = 0, as PyTorch).</summary>
public sealed class ReluLayer(string name) : Layer(name)
{
    private Tensor? _output;
    private LayerBuffers? _buffers;
    private bool _gradientMasked;

    public override string Description => "ReLU";

    /// <summary>
    /// Set by the network when the layer before this one keeps no use for its output (a convolution or linear
    /// layer, whose backward needs only its input): then, with a plan's buffers, the ReLU works in place on that
    /// output instead of taking memory of its own, as PyTorch's ReLU(inplace=True) does.
    /// </summary>
    public bool MayOverwriteInput { get; set; }

    public override Shape OutputShape(Shape input) => input;

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        Tensor output;
        if (context.Fusion?.IsInsidePrevious(this) == true)
        {
            // The convolution before has clamped its output already.
            output = input;
        }
        else
        {
            output = MayOverwriteInput && context.Buffers is not null ? input : OutputTensor(context, input.Shape);
            Relu.Forward(input.Data, output.Data);
        }
        if (context.Training) (_output, _buffers, _gradientMasked) = (output, context.Buffers, context.Fusion?.IsMaskedByNext(this) == true);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var output = Cached(_output);
        // The LRN after this layer has masked the gradient in its backward already.
        if (_gradientMasked) return outputGradient;
        // With a plan's buffers the output is dead once its gradient mask is read: the gradient takes its place.
        var inputGradient = _buffers is null ? new Tensor(output.Shape) : output;
        Relu.Backward(output.Data, outputGradient.Data, inputGradient.Data);
        return inputGradient;
    }
}
