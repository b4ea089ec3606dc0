using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>
/// 2-D convolution with square kernels, stride, zero padding and groups (PyTorch's Conv2d). The padding after the data
/// (bottom and right) may exceed the padding before it (top and left), as TensorFlow's 'same' padding of a strided
/// convolution has it: the input is then staged with the extra zero rows and columns (<see cref="EdgePadding"/>) and
/// the kernels pad both sides equally.
/// </summary>
public sealed class ConvolutionLayer : Layer
{
    private Tensor? _input;
    private LayerBuffers? _buffers;

    /// <param name="paddingEnd">Padding after the data (bottom and right); null for <paramref name="padding"/>, the same on both sides.</param>
    public ConvolutionLayer(string name, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1, int? paddingEnd = null)
        : base(name)
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Layer '{name}': channels {inChannels}→{outChannels} are not divisible by groups {groups}.");
        }
        if (paddingEnd < padding)
        {
            throw new ArgumentException($"Layer '{name}': padding after the data ({paddingEnd}) must not be less than before it ({padding}).");
        }
        (InChannels, OutChannels, Kernel, Stride, Padding, Groups) = (inChannels, outChannels, kernel, stride, padding, groups);
        PaddingEnd = paddingEnd ?? padding;
        Weight = new Parameter($"{name}.weight", new Shape(outChannels, inChannels / groups, kernel, kernel), ParameterRole.Weight);
        Bias = new Parameter($"{name}.bias", new Shape(outChannels), ParameterRole.Bias);
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }
    /// <summary>Zero rows above and columns left of the input.</summary>
    public int Padding { get; }
    /// <summary>Zero rows below and columns right of the input (at least <see cref="Padding"/>).</summary>
    public int PaddingEnd { get; }
    public int Groups { get; }

    /// <summary>Rows and columns of end padding beyond <see cref="Padding"/>, staged into the input before the kernels run.</summary>
    public int ExtraEndPadding => PaddingEnd - Padding;
    public Parameter Weight { get; }
    public Parameter Bias { get; }

    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    public override string Description =>
        $"Conv2d {Kernel}×{Kernel}/{Stride}" + (PaddingEnd > Padding ? $" pad {Padding}/{PaddingEnd}" : Padding > 0 ? $" pad {Padding}" : "")
        + (Groups > 1 ? $" groups {Groups}" : "");

    /// <summary>
    /// The kernels' geometry for a (C, H, W) input: on the input widened by <see cref="ExtraEndPadding"/> rows and
    /// columns when the end padding is larger, so that the kernels' equal padding on both sides gives this layer's.
    /// </summary>
    public Conv2dGeometry Geometry(int batch, Shape input) =>
        new(batch, input[0], input[1] + ExtraEndPadding, input[2] + ExtraEndPadding, OutChannels, Kernel, Stride, Padding, Groups);

    public override Shape OutputShape(Shape input)
    {
        if (input.Rank != 3 || input[0] != InChannels)
        {
            throw new ArgumentException($"Layer '{Name}' expects ({InChannels}, H, W) input, got {input}.");
        }
        var g = Geometry(1, input);
        g.Validate();
        return new Shape(OutChannels, g.P, g.Q);
    }

    public override long MultiplyAdds(Shape input)
    {
        var g = Geometry(1, input);
        return (long)g.K * g.OutputPlane * g.PatchLength;
    }

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        CheckInput(input, 4);
        var sample = input.Shape.WithoutBatch();
        var output = OutputTensor(context, OutputShape(sample).WithBatch(input.BatchSize));
        var g = Geometry(input.BatchSize, sample);
        var staged = input;
        if (ExtraEndPadding > 0)
        {
            staged = context.Buffers?.Tensor(this, 1, new Shape(g.N, g.C, g.H, g.W)) ?? new Tensor(g.N, g.C, g.H, g.W);
            EdgePadding.Pad(input.Data, staged.Data, g.N * g.C, sample[1], sample[2], ExtraEndPadding);
        }
        Convolution.Forward(staged.Data, Weight.Value.Data, Bias.Value.Data, output.Data, g, relu: context.Fusion?.ClampsOutput(this) == true);
        if (context.Training) (_input, _buffers) = (staged, context.Buffers);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var staged = Cached(_input);
        var g = new Conv2dGeometry(staged.BatchSize, staged.Shape[1], staged.Shape[2], staged.Shape[3], OutChannels, Kernel, Stride, Padding, Groups);
        var inputShape = new Shape(g.N, g.C, g.H - ExtraEndPadding, g.W - ExtraEndPadding);
        var inputGradient = GradientTensor(_buffers, inputShape);
        var stagedGradient = ExtraEndPadding > 0 && ComputesInputGradient ? GradientTensor(_buffers, staged.Shape, slot: 1) : inputGradient;
        Convolution.Backward(staged.Data, Weight.Value.Data, outputGradient.Data,
            ComputesInputGradient ? stagedGradient.Data : Span<float>.Empty, Weight.Gradient.Data, Bias.Gradient.Data, g);
        if (stagedGradient != inputGradient) EdgePadding.Crop(stagedGradient.Data, inputGradient.Data, g.N * g.C, inputShape[2], inputShape[3], ExtraEndPadding);
        Weight.NoteGradientWritten();
        Bias.NoteGradientWritten();
        return inputGradient;
    }
}
