using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>
/// Fully connected layer, y = x·Wᵀ + b with W of shape (out, in), as PyTorch's Linear.
/// Backward: dx = dy·W, dW += dyᵀ·x, db += Σ_batch dy.
/// </summary>
public sealed class LinearLayer : Layer
{
    private Tensor? _input;
    private LayerBuffers? _buffers;

    public LinearLayer(string name, int inFeatures, int outFeatures) : base(name)
    {
        (InFeatures, OutFeatures) = (inFeatures, outFeatures);
        Weight = new Parameter($"{name}.weight", new Shape(outFeatures, inFeatures), ParameterRole.Weight);
        Bias = new Parameter($"{name}.bias", new Shape(outFeatures), ParameterRole.Bias);
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }

    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    public override string Description => $"Linear {InFeatures}→{OutFeatures}";

    public override Shape OutputShape(Shape input)
    {
        if (input.ElementCount != InFeatures)
        {
            throw new ArgumentException($"Layer '{Name}' expects {InFeatures} input features, got {input} = {input.ElementCount}.");
        }
        return new Shape(OutFeatures);
    }

    public override long MultiplyAdds(Shape input) => (long)InFeatures * OutFeatures;

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        CheckInput(input, 2);
        OutputShape(input.Shape.WithoutBatch());
        var batch = input.BatchSize;
        var output = OutputTensor(context, new Shape(batch, OutFeatures));
        for (var n = 0; n < batch; n++) Bias.Value.Data.CopyTo(output.Data, n * OutFeatures);
        Gemm.Multiply(false, true, batch, OutFeatures, InFeatures, input.Data, InFeatures, Weight.Value.Data, InFeatures,
            output.Data, OutFeatures, accumulate: true, parallel: true);
        if (context.Training) (_input, _buffers) = (input, context.Buffers);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var input = Cached(_input);
        var batch = input.BatchSize;
        var dy = outputGradient.Data;
        Gemm.Multiply(true, false, OutFeatures, InFeatures, batch, dy, OutFeatures, input.Data, InFeatures,
            Weight.Gradient.Data, InFeatures, accumulate: true, parallel: true);
        var db = Bias.Gradient.Data;
        for (var o = 0; o < OutFeatures; o++)
        {
            var sum = 0.0;
            for (var n = 0; n < batch; n++) sum += dy[n * OutFeatures + o];
            db[o] += (float)sum;
        }
        Weight.NoteGradientWritten();
        Bias.NoteGradientWritten();
        // Without an input gradient the buffer is never written: it stays as allocated, zero.
        var inputGradient = GradientTensor(_buffers, input.Shape);
        if (ComputesInputGradient)
        {
            Gemm.Multiply(false, false, batch, InFeatures, OutFeatures, dy, OutFeatures, Weight.Value.Data, InFeatures,
                inputGradient.Data, InFeatures, accumulate: false, parallel: true);
        }
        return inputGradient;
    }
}
