using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>2-D convolution with square kernels, stride, zero padding and groups (PyTorch's Conv2d).</summary>
public sealed class ConvolutionLayer : Layer
{
    private Tensor? _input;
    private LayerBuffers? _buffers;

    public ConvolutionLayer(string name, int inChannels, int outChannels, int kernel, int stride = 1, int padding = 0, int groups = 1)
        : base(name)
    {
        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"Layer '{name}': channels {inChannels}→{outChannels} are not divisible by groups {groups}.");
        }
        (InChannels, OutChannels, Kernel, Stride, Padding, Groups) = (inChannels, outChannels, kernel, stride, padding, groups);
        Weight = new Parameter($"{name}.weight", new Shape(outChannels, inChannels / groups, kernel, kernel), ParameterRole.Weight);
        Bias = new Parameter($"{name}.bias", new Shape(outChannels), ParameterRole.Bias);
    }

    public int InChannels { get; }
    public int OutChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int Groups { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }

    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    public override string Description =>
        $"Conv2d {Kernel}×{Kernel}/{Stride}" + (Padding > 0 ? $" pad {Padding}" : "") + (Groups > 1 ? $" groups {Groups}" : "");

    public Conv2dGeometry Geometry(int batch, Shape input) =>
        new(batch, input[0], input[1], input[2], OutChannels, Kernel, Stride, Padding, Groups);

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
        Convolution.Forward(input.Data, Weight.Value.Data, Bias.Value.Data, output.Data, Geometry(input.BatchSize, sample));
        if (context.Training) (_input, _buffers) = (input, context.Buffers);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var input = Cached(_input);
        var inputGradient = GradientTensor(_buffers, input.Shape);
        Convolution.Backward(input.Data, Weight.Value.Data, outputGradient.Data,
            ComputesInputGradient ? inputGradient.Data : Span<float>.Empty,
            Weight.Gradient.Data, Bias.Gradient.Data, Geometry(input.BatchSize, input.Shape.WithoutBatch()));
        Weight.NoteGradientWritten();
        Bias.NoteGradientWritten();
        return inputGradient;
    }
}
