using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>y = max(x, 0); the gradient passes where the output is positive (0 at x = 0, as PyTorch).</summary>
public sealed class ReluLayer(string name) : Layer(name)
{
    private Tensor? _output;

    public override string Description => "ReLU";

    public override Shape OutputShape(Shape input) => input;

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        var output = new Tensor(input.Shape);
        TensorPrimitives.Max(input.Data, 0f, output.Data);
        if (context.Training) _output = output;
        return output;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var output = Cached(_output);
        var inputGradient = new Tensor(output.Shape);
        var (y, dy, dx) = (output.Data, outputGradient.Data, inputGradient.Data);
        for (var i = 0; i < dx.Length; i++) dx[i] = y[i] > 0 ? dy[i] : 0f;
        return inputGradient;
    }
}
