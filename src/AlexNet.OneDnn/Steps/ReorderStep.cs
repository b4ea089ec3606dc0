using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>Converts activations into the layout the next primitive wants, and their gradients back.</summary>
internal sealed class ReorderStep : PlanStep
{
    private readonly DnnlPrimitive _forward;
    private DnnlPrimitive? _backward;

    public ReorderStep(string name, DnnlContext context, DnnlMemory input, in Native.MemoryDesc target) : base(name, context, input)
    {
        Output = Own(DnnlMemory.Allocate(context, target));
        _forward = Own(DnnlPrimitive.Reorder(context, input.Desc, target, name)).Bind((DnnlConstants.ArgFrom, input), (DnnlConstants.ArgTo, Output));
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context) => _forward.Execute(Context);

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        DiffInput = Gradients.Rent(Input.Desc);
        _backward = Own(DnnlPrimitive.Reorder(Context, diffOutput.Desc, Input.Desc, Name + " backward"))
            .Bind((DnnlConstants.ArgFrom, diffOutput), (DnnlConstants.ArgTo, DiffInput));
    }

    public override void Backward() => _backward!.Execute(Context);
}
