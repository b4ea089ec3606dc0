using System.Numerics.Tensors;
using AlexNet.Layers;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// Training-time dropout on plain (N, features) data with the very masks <see cref="DropoutLayer"/> draws, so that
/// both backends train identically. Writes a new buffer: the input may be a fused ReLU's output, which ReLU's
/// backward still reads.
/// </summary>
internal sealed class DropoutStep : PlanStep
{
    private readonly DropoutLayer _layer;
    private readonly int _batch;
    private float[] _mask = [];
    private DnnlMemory? _diffOutput;

    public DropoutStep(DropoutLayer layer, DnnlContext context, DnnlMemory plainInput, int batch) : base(layer.Name, context, plainInput)
    {
        (_layer, _batch) = (layer, batch);
        Output = Own(DnnlMemory.Allocate(context, plainInput.Desc));
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context)
    {
        var input = Input.Floats;
        if (_mask.Length != input.Length) _mask = new float[input.Length];
        _layer.FillMask(_mask, _batch, input.Length / _batch, context);
        TensorPrimitives.Multiply(input, _mask, Output.Floats);
    }

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        _diffOutput = diffOutput;
        DiffInput = Gradients.Rent(Input.Desc);
    }

    public override void Backward() => TensorPrimitives.Multiply(_diffOutput!.Floats, _mask, DiffInput!.Floats);
}
