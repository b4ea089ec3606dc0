using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>Cross-channel local response normalization (formula in <see cref="LrnGeometry"/>).</summary>
public sealed class LrnLayer : Layer
{
    private Tensor? _input;
    private LayerBuffers? _buffers;
    private bool _maskGradient;

    public LrnLayer(string name, int size, float alpha, float beta, float k) : base(name)
    {
        (Size, Alpha, Beta, K) = (size, alpha, beta, k);
        Geometry(1, new Shape(1, 1, 1)).Validate();
    }

    public int Size { get; }
    public float Alpha { get; }
    public float Beta { get; }
    public float K { get; }

    public override string Description => $"LRN size {Size}, α {Alpha:G}, β {Beta:G}, k {K:G}";

    public override Shape OutputShape(Shape input) => input;

    public LrnGeometry Geometry(int batch, Shape input) => new(batch, input[0], input[1], input[2], Size, Alpha, Beta, K);

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        CheckInput(input, 4);
        var output = OutputTensor(context, input.Shape);
        LocalResponseNorm.Forward(input.Data, output.Data, Geometry(input.BatchSize, input.Shape.WithoutBatch()));
        // Backward needs only the input: it recomputes the scales, which is cheaper than storing and reloading them.
        if (context.Training) (_input, _buffers, _maskGradient) = (input, context.Buffers, context.Fusion?.MasksGradient(this) == true);
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var input = Cached(_input);
        var inputGradient = GradientTensor(_buffers, input.Shape);
        LocalResponseNorm.Backward(input.Data, outputGradient.Data, inputGradient.Data, Geometry(input.BatchSize, input.Shape.WithoutBatch()), _maskGradient);
        return inputGradient;
    }
}
