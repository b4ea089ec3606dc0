using AlexNet.Layers;
using AlexNet.OneDnn.Primitives;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// A layer oneDNN has no primitive for (adaptive average pooling to a size other than its input's), run by its
/// managed implementation on plain NCHW copies of the data.
/// </summary>
internal sealed class ManagedLayerStep : PlanStep
{
    private readonly Layer _layer;
    private readonly Shape _inputShape;
    private readonly DnnlMemory _plainInput;
    private DnnlMemory? _diffOutput, _plainDiffInput;

    public ManagedLayerStep(Layer layer, DnnlContext context, DnnlMemory input, int batch, Shape inputShape) : base(layer.Name, context, input)
    {
        (_layer, _inputShape) = (layer, inputShape.WithBatch(batch));
        _plainInput = AdaptInput(MemoryDescs.Plain(_inputShape.ToArray()));
        Output = Own(DnnlMemory.Allocate(context, MemoryDescs.Plain(layer.OutputShape(inputShape).WithBatch(batch).ToArray())));
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context)
    {
        ReorderInput();
        Context.Wait();
        var input = new Tensor(_inputShape, _plainInput.Floats[..checked((int)_inputShape.ElementCount)].ToArray());
        _layer.Forward(input, context).Data.AsSpan().CopyTo(Output.Floats);
    }

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        _diffOutput = AdaptDiffOutput(diffOutput, Output.Desc);
        // The first layer, or the first trainable one after frozen layers: the backward pass ends here.
        if (_layer.ComputesInputGradient) _plainDiffInput = CreateDiffInput(_plainInput.Desc);
    }

    public override void Backward()
    {
        ReorderDiffOutput();
        Context.Wait();
        var outputShape = _layer.OutputShape(_inputShape.WithoutBatch()).WithBatch(_inputShape[0]);
        var gradient = new Tensor(outputShape, _diffOutput!.Floats[..checked((int)outputShape.ElementCount)].ToArray());
        var inputGradient = _layer.Backward(gradient);
        if (_plainDiffInput is null) return;
        inputGradient.Data.AsSpan().CopyTo(_plainDiffInput.Floats);
        ReorderDiffInput();
    }
}
