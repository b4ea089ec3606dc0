using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.Kernels;
using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// Batch normalization on oneDNN's primitive, in the blocked layout a convolution before it chose, or channels last
/// where the data arrives plain ((N, C) after an inner product, viewed as (N, C, 1, 1); NCHW reordered), with the ReLU
/// after it fused (dnnl_fuse_norm_relu) where oneDNN has a kernel for that. γ and β (use_scale | use_shift) are read and their gradients written in place in the pinned parameter arrays.
/// Training takes the batch's statistics from the primitive, which the step then folds into the layer's running
/// statistics exactly as the managed layer does (<see cref="BatchNormalization.UpdateRunningStatistics"/>); inference
/// (use_global_stats) reads the pinned running statistics in place.
/// </summary>
internal sealed unsafe class BatchNormStep : PlanStep
{
    private readonly BatchNormLayer _layer;
    private readonly bool _training;
    private readonly uint _flags;
    private readonly DnnlPrimitive _forward;
    private readonly ParameterTransfer _gamma, _beta;
    private readonly MemoryDesc _dataDesc;
    private readonly bool _features2D;
    private readonly DnnlMemory _source, _scale, _shift, _mean, _variance;
    private readonly DnnlMemory? _workspace;
    private readonly int _valuesPerChannel;
    private DnnlPrimitive? _backward;
    private GradientAccumulator? _scaleGradient, _shiftGradient;

    private BatchNormStep(BatchNormLayer layer, bool fusesRelu, string name, uint flags, DnnlContext context, DnnlMemory input, bool training)
        : base(name, context, input)
    {
        (_layer, FusesRelu, _flags, _training) = (layer, fusesRelu, flags, training);
        try
        {
            var dims = MemoryDescs.Dims(input.Desc);
            _valuesPerChannel = dims[0] * (dims.Length == 4 ? dims[2] * dims[3] : 1);
            // Plain data (nc after a dense layer, nchw after a GEMM convolution) would get oneDNN's generic ncsp code: channels
            // last gets its JIT kernel. (N, C) is already channels last as (N, C, 1, 1): a view, no copy.
            _features2D = dims.Length == 2;
            if (_features2D)
            {
                _dataDesc = MemoryDescs.Create([dims[0], dims[1], 1, 1], DnnlConstants.FormatAcdb);
                _source = Own(DnnlMemory.View(context, _dataDesc, input.Data));
            }
            else
            {
                _dataDesc = MemoryDescs.Equal(input.Desc, MemoryDescs.Plain(dims)) ? MemoryDescs.Create(dims, DnnlConstants.FormatAcdb) : input.Desc;
                _source = AdaptInput(_dataDesc);
            }
            _forward = Own(CreateForward(context, _dataDesc, layer, flags, name, training));
            _gamma = Own(new ParameterTransfer(context, layer.Weight, [layer.Features]));
            _beta = Own(new ParameterTransfer(context, layer.Bias, [layer.Features]));
            _scale = _gamma.CreateLoader(_gamma.CanonicalDesc).Memory;
            _shift = _beta.CreateLoader(_beta.CanonicalDesc).Memory;
            var statistics = MemoryDescs.Plain([layer.Features]);
            // Training writes the batch's statistics; inference reads the running ones where they live.
            (_mean, _variance) = training
                ? (Own(DnnlMemory.Allocate(context, statistics)), Own(DnnlMemory.Allocate(context, statistics)))
                : (Own(DnnlMemory.View(context, statistics, AddressOf(layer.RunningMean.Value.Data))),
                   Own(DnnlMemory.View(context, statistics, AddressOf(layer.RunningVariance.Value.Data))));
            Output = Own(DnnlMemory.Allocate(context, _features2D ? input.Desc : _forward.Query(DnnlConstants.QueryDstMd)));
            var destination = _features2D ? Own(DnnlMemory.View(context, _dataDesc, Output.Data)) : Output;
            var workspace = _forward.Query(DnnlConstants.QueryWorkspaceMd);
            (int, DnnlMemory)[] args =
            [
                (DnnlConstants.ArgSrc, _source), (DnnlConstants.ArgScale, _scale), (DnnlConstants.ArgShift, _shift), (DnnlConstants.ArgMean, _mean),
                (DnnlConstants.ArgVariance, _variance), (DnnlConstants.ArgDst, destination),
            ];
            if (training && MemoryDescs.Bytes(workspace) > 0) _workspace = Own(DnnlMemory.Allocate(context, workspace));
            _forward.Bind(_workspace is null ? args : [.. args, (DnnlConstants.ArgWorkspace, _workspace)]);
        }
        catch
        {
            // A refused primitive (oneDNN's reference code) leaves nothing behind.
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// The step for <paramref name="layer"/> on <paramref name="input"/>, with <paramref name="relu"/> fused into it when
    /// oneDNN has more than its reference code for the fused form (see <see cref="FusesRelu"/>).
    /// </summary>
    public static BatchNormStep Create(BatchNormLayer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, bool training)
    {
        var flags = DnnlConstants.UseScale | DnnlConstants.UseShift | (training ? 0 : DnnlConstants.UseGlobalStats);
        if (relu is not null)
        {
            try
            {
                return new BatchNormStep(layer, true, $"{layer.Name}+{relu.Name}", flags | DnnlConstants.FuseNormRelu, context, input, training);
            }
            catch (ReferenceImplementationException)
            {
                // The fused form has only reference code here: the ReLU becomes a step of its own.
            }
        }
        return new BatchNormStep(layer, false, layer.Name, flags, context, input, training);
    }

    /// <summary>Whether the ReLU after the layer runs inside this step (the plan then skips it).</summary>
    public bool FusesRelu { get; }

    public override DnnlMemory Output { get; }

    private static DnnlPrimitive CreateForward(DnnlContext context, in MemoryDesc dataDesc, BatchNormLayer layer, uint flags, string name, bool training)
    {
        var desc = default(OpDesc);
        var data = dataDesc;
        NativeMethods.Check(NativeMethods.dnnl_batch_normalization_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
            &data, layer.Epsilon, flags), $"dnnl_batch_normalization_forward_desc_init ({name})");
        return DnnlPrimitive.Create(context, &desc, name);
    }

    public override void Forward(ForwardContext context)
    {
        // Checked when a training batch runs, not when the plan compiles: describing a plan for any batch is fine.
        if (_training) _layer.CheckTrainingBatch(_valuesPerChannel);
        ReorderInput();
        _forward.Execute(Context);
        if (!_training) return;
        Context.Wait();
        var features = _layer.Features;
        BatchNormalization.UpdateRunningStatistics(_mean.Floats[..features], _variance.Floats[..features], _layer.RunningMean.Value.Data,
            _layer.RunningVariance.Value.Data, _layer.Momentum, _valuesPerChannel);
    }

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        var desc = default(OpDesc);
        var data = _dataDesc;
        NativeMethods.Check(NativeMethods.dnnl_batch_normalization_backward_desc_init(&desc, DnnlConstants.Backward, &data, &data, _layer.Epsilon, _flags),
            $"dnnl_batch_normalization_backward_desc_init ({Name})");
        _backward = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward", hint: _forward));
        // oneDNN's backward always writes an input gradient. Where the pass ends here (the first trainable layer after
        // frozen ones) it goes to scratch memory and DiffInput stays null, which stops the compiled pass.
        var passContinues = _layer.ComputesInputGradient;
        DnnlMemory diffDst, diffSrc;
        if (_features2D)
        {
            // The (N, C) gradients are shown to the primitive as (N, C, 1, 1) channels last, like the data.
            diffDst = Gradients.Alias(_dataDesc, AdaptDiffOutput(diffOutput, Output.Desc));
            if (passContinues) DiffInput = Gradients.Rent(Input.Desc);
            diffSrc = passContinues ? Gradients.Alias(_dataDesc, DiffInput!) : Gradients.Rent(_dataDesc);
        }
        else
        {
            diffDst = AdaptDiffOutput(diffOutput, _backward.Query(DnnlConstants.QueryDiffDstMd));
            var produced = _backward.Query(DnnlConstants.QueryDiffSrcMd);
            diffSrc = passContinues ? CreateDiffInput(produced) : Gradients.Rent(produced);
        }
        _scaleGradient = _gamma.CreateAccumulator(_gamma.CanonicalDesc);
        _shiftGradient = _beta.CreateAccumulator(_beta.CanonicalDesc);
        (int, DnnlMemory)[] args =
        [
            (DnnlConstants.ArgSrc, _source), (DnnlConstants.ArgMean, _mean), (DnnlConstants.ArgVariance, _variance), (DnnlConstants.ArgScale, _scale),
            (DnnlConstants.ArgShift, _shift), (DnnlConstants.ArgDiffDst, diffDst), (DnnlConstants.ArgDiffSrc, diffSrc),
            (DnnlConstants.ArgDiffScale, _scaleGradient.Memory), (DnnlConstants.ArgDiffShift, _shiftGradient.Memory),
        ];
        _backward.Bind(_workspace is null ? args : [.. args, (DnnlConstants.ArgWorkspace, _workspace)]);
    }

    public override void Backward()
    {
        ReorderDiffOutput();
        _scaleGradient!.Prepare();
        _shiftGradient!.Prepare();
        _backward!.Execute(Context);
        _scaleGradient.Accumulate();
        _shiftGradient.Accumulate();
        ReorderDiffInput();
    }

    /// <summary>The address of a pinned array's first element; stable for the array's lifetime.</summary>
    private static nint AddressOf(float[] pinned) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));
}
