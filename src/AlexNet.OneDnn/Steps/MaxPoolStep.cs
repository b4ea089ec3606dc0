using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// Max pooling without padding, output size floor((H − window) / stride) + 1 as the managed layer. Training keeps
/// the workspace (the arg-max positions) for backward.
/// </summary>
internal sealed unsafe class MaxPoolStep : PlanStep
{
    private readonly DnnlPrimitive _forward;
    private readonly DnnlMemory? _workspace;
    private readonly int[] _outputDims;
    private readonly MaxPoolLayer _layer;
    private DnnlPrimitive? _backward;

    public MaxPoolStep(MaxPoolLayer layer, DnnlContext context, DnnlMemory input, int batch, Shape inputShape, bool training)
        : base(layer.Name, context, input)
    {
        _layer = layer;
        var output = layer.OutputShape(inputShape);
        _outputDims = [batch, output[0], output[1], output[2]];
        var desc = default(OpDesc);
        var (src, dst) = (input.Desc, MemoryDescs.Any(_outputDims));
        var (strides, kernel, dilation, padding) = (Pair(layer.Stride), Pair(layer.Window), Pair(0), Pair(0));
        NativeMethods.Check(NativeMethods.dnnl_pooling_v2_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
            DnnlConstants.PoolingMax, &src, &dst, (long*)&strides, (long*)&kernel, (long*)&dilation, (long*)&padding, (long*)&padding),
            $"dnnl_pooling_v2_forward_desc_init ({Name})");
        _forward = Own(DnnlPrimitive.Create(context, &desc, Name));
        Output = Own(DnnlMemory.Allocate(context, _forward.Query(DnnlConstants.QueryDstMd)));
        _workspace = BindWithWorkspace(_forward, Output, training);
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context) => _forward.Execute(Context);

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        var desc = default(OpDesc);
        var (diffSrcDesc, diffDstDesc) = (Input.Desc, Output.Desc);
        var (strides, kernel, dilation, padding) = (Pair(_layer.Stride), Pair(_layer.Window), Pair(0), Pair(0));
        NativeMethods.Check(NativeMethods.dnnl_pooling_v2_backward_desc_init(&desc, DnnlConstants.PoolingMax, &diffSrcDesc, &diffDstDesc,
            (long*)&strides, (long*)&kernel, (long*)&dilation, (long*)&padding, (long*)&padding), $"dnnl_pooling_v2_backward_desc_init ({Name})");
        _backward = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward", hint: _forward));
        var diffDst = AdaptDiffOutput(diffOutput, _backward.Query(DnnlConstants.QueryDiffDstMd));
        var diffSrc = CreateDiffInput(_backward.Query(DnnlConstants.QueryDiffSrcMd));
        if (_workspace is null)
        {
            _backward.Bind((DnnlConstants.ArgDiffDst, diffDst), (DnnlConstants.ArgDiffSrc, diffSrc));
        }
        else
        {
            _backward.Bind((DnnlConstants.ArgDiffDst, diffDst), (DnnlConstants.ArgWorkspace, _workspace), (DnnlConstants.ArgDiffSrc, diffSrc));
        }
    }

    public override void Backward()
    {
        ReorderDiffOutput();
        _backward!.Execute(Context);
        ReorderDiffInput();
    }

    private static Dims Pair(int value) => MemoryDescs.ToDims([value, value]);
}
