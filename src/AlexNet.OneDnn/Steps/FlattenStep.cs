using AlexNet.Layers;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>(N, C, H, W) in plain NCHW seen as (N, C·H·W): no copy, the same data under a 2-D descriptor.</summary>
internal sealed class FlattenStep : PlanStep
{
    public FlattenStep(string name, DnnlContext context, DnnlMemory plainInput, int batch, int features) : base(name, context, plainInput)
    {
        Output = Own(DnnlMemory.View(context, MemoryDescs.Plain([batch, features]), plainInput.Data));
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context)
    {
    }

    protected override void CreateBackward(DnnlMemory diffOutput) => DiffInput = Gradients.Alias(Input.Desc, diffOutput);

    public override void Backward()
    {
    }
}
