using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>A ReLU that could not be fused into the layer before it.</summary>
internal sealed unsafe class ReluStep : PlanStep
{
    private readonly DnnlPrimitive _forward;
    private ReluBackward? _backward;

    public ReluStep(string name, DnnlContext context, DnnlMemory input, bool training) : base(name, context, input)
    {
        var desc = default(OpDesc);
        var data = input.Desc;
        NativeMethods.Check(NativeMethods.dnnl_eltwise_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
            training ? DnnlConstants.EltwiseReluUseDstForBwd : DnnlConstants.EltwiseRelu, &data, 0, 0), $"dnnl_eltwise_forward_desc_init ({name})");
        _forward = Own(DnnlPrimitive.Create(context, &desc, name));
        Output = Own(DnnlMemory.Allocate(context, _forward.Query(DnnlConstants.QueryDstMd)));
        _forward.Bind((DnnlConstants.ArgSrc, input), (DnnlConstants.ArgDst, Output));
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context) => _forward.Execute(Context);

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        _backward = Own(new ReluBackward(Context, Name, Output, diffOutput, Gradients));
        DiffInput = _backward.DiffInput;
    }

    public override void Backward() => _backward!.Execute();
}
