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

    /// <summary>
    /// Set by the network when a convolution comes before this layer: under <see cref="ForwardContext.FuseActivations"/>
    /// that convolution has already clamped its output, which this layer then passes on untouched.
    /// </summary>
    public bool FusedIntoPrevious { get; set; }

    /// <summary>
    /// Set by the network when an LRN follows: under <see cref="ForwardContext.FuseActivations"/> the LRN's backward masks
    /// the gradient by this layer's output, so this layer's backward passes the gradient on untouched.
    /// </summary>
    public bool GradientMaskedByNext { get; set; }

    public override Shape OutputShape(Shape input) => input;

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        Tensor output;
        if (context.FuseActivations && FusedIntoPrevious)
        {
            output = input;
        }
        else
        {
            output = MayOverwriteInput && context.Buffers is not null ? input : OutputTensor(context, input.Shape);
            Relu.Forward(input.Data, output.Data);
        }
        if (context.Training) (_output, _buffers, _gradientMasked) = (output, context.Buffers, context.FuseActivations && GradientMaskedByNext);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var output = Cached(_output);
        if (_gradientMasked) return outputGradient;
        // With a plan's buffers the output is dead once its gradient mask is read: the gradient takes its place.
        var inputGradient = _buffers is null ? new Tensor(output.Shape) : output;
        Relu.Backward(output.Data, outputGradient.Data, inputGradient.Data);
        return inputGradient;
    }
}
