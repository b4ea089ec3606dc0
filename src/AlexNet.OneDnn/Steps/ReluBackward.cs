using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// ReLU's backward pass from its output alone (eltwise_relu_use_dst_for_bwd): dx = dy where y &gt; 0, else 0. That
/// is what lets ReLU be fused into the convolution or inner product before it, whose input is then not kept.
/// </summary>
internal sealed unsafe class ReluBackward : IDisposable
{
    private readonly DnnlContext _context;
    private readonly DnnlPrimitive _hint, _backward;

    public ReluBackward(DnnlContext context, string name, DnnlMemory output, DnnlMemory diffOutput, GradientArena gradients)
    {
        _context = context;
        var desc = default(OpDesc);
        var data = output.Desc;
        NativeMethods.Check(NativeMethods.dnnl_eltwise_forward_desc_init(&desc, DnnlConstants.ForwardTraining, DnnlConstants.EltwiseReluUseDstForBwd,
            &data, 0, 0), $"dnnl_eltwise_forward_desc_init ({name})");
        _hint = DnnlPrimitive.Create(context, &desc, name + " forward");
        var diff = diffOutput.Desc;
        desc = default;
        NativeMethods.Check(NativeMethods.dnnl_eltwise_backward_desc_init(&desc, DnnlConstants.EltwiseReluUseDstForBwd, &diff, &data, 0, 0),
            $"dnnl_eltwise_backward_desc_init ({name})");
        _backward = DnnlPrimitive.Create(context, &desc, name + " backward", hint: _hint);
        // In place where the layouts agree: nothing reads the output gradient after ReLU's backward.
        var diffInput = _backward.Query(DnnlConstants.QueryDiffSrcMd);
        DiffInput = MemoryDescs.Equal(diffInput, diffOutput.Desc) ? diffOutput : gradients.Rent(diffInput);
        _backward.Bind((DnnlConstants.ArgDst, output), (DnnlConstants.ArgDiffDst, diffOutput), (DnnlConstants.ArgDiffSrc, DiffInput));
    }

    /// <summary>Gradient w.r.t. ReLU's input.</summary>
    public DnnlMemory DiffInput { get; }

    public void Execute() => _backward.Execute(_context);

    public void Dispose()
    {
        _backward.Dispose();
        _hint.Dispose();
    }
}
