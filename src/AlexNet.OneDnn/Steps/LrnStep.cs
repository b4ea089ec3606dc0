using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// Cross-channel LRN in the layout the layer before chose (oneDNN's formula is PyTorch's: α divided by the
/// window size). Training keeps the workspace backward reads; src, diff_dst and diff_src share one layout, since
/// LRN backward on plain NCHW is oneDNN's slow reference code.
/// </summary>
internal sealed unsafe class LrnStep : PlanStep
{
    private readonly LrnLayer _layer;
    private readonly DnnlPrimitive _forward;
    private readonly DnnlMemory? _workspace;
    private DnnlPrimitive? _backward;

    public LrnStep(LrnLayer layer, DnnlContext context, DnnlMemory input, bool training) : base(layer.Name, context, input)
    {
        _layer = layer;
        var desc = default(OpDesc);
        var data = input.Desc;
        NativeMethods.Check(NativeMethods.dnnl_lrn_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
            DnnlConstants.LrnAcrossChannels, &data, layer.Size, layer.Alpha, layer.Beta, layer.K), $"dnnl_lrn_forward_desc_init ({Name})");
        _forward = Own(DnnlPrimitive.Create(context, &desc, Name));
        Output = Own(DnnlMemory.Allocate(context, _forward.Query(DnnlConstants.QueryDstMd)));
        _workspace = BindWithWorkspace(_forward, Output, training);
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context) => _forward.Execute(Context);

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        var desc = default(OpDesc);
        var data = Input.Desc;
        NativeMethods.Check(NativeMethods.dnnl_lrn_backward_desc_init(&desc, DnnlConstants.LrnAcrossChannels, &data, &data,
            _layer.Size, _layer.Alpha, _layer.Beta, _layer.K), $"dnnl_lrn_backward_desc_init ({Name})");
        _backward = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward", hint: _forward));
        var diffDst = AdaptDiffOutput(diffOutput, _backward.Query(DnnlConstants.QueryDiffDstMd));
        var diffSrc = CreateDiffInput(_backward.Query(DnnlConstants.QueryDiffSrcMd));
        if (_workspace is null)
        {
            _backward.Bind((DnnlConstants.ArgSrc, Input), (DnnlConstants.ArgDiffDst, diffDst), (DnnlConstants.ArgDiffSrc, diffSrc));
        }
        else
        {
            _backward.Bind((DnnlConstants.ArgSrc, Input), (DnnlConstants.ArgDiffDst, diffDst), (DnnlConstants.ArgWorkspace, _workspace),
                (DnnlConstants.ArgDiffSrc, diffSrc));
        }
    }

    public override void Backward()
    {
        ReorderDiffOutput();
        _backward!.Execute(Context);
        ReorderDiffInput();
    }
}
