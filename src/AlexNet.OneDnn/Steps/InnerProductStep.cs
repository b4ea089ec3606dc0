using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// A fully connected layer on plain (N, in) data, writing plain (N, out), with the ReLU after it fused as a
/// post-op when there is one. oneDNN picks the weights' layout; they are reordered from (out, in) at every forward.
/// </summary>
internal sealed unsafe class InnerProductStep : PlanStep
{
    private readonly LinearLayer _layer;
    private readonly bool _relu;
    private readonly DnnlMemory _src;
    private readonly DnnlPrimitive _forward;
    private readonly ParameterTransfer _weights, _bias;
    private readonly ParameterLoader _weightsLoader, _biasLoader;
    private readonly int[] _weightDims;
    private ReluBackward? _reluBackward;
    private DnnlPrimitive? _backwardWeights, _backwardData, _weightsForData;
    private GradientAccumulator? _weightsGradient, _biasGradient;

    public InnerProductStep(LinearLayer layer, ReluLayer? relu, DnnlContext context, DnnlMemory input, int batch, bool training)
        : base(relu is null ? layer.Name : $"{layer.Name}+{relu.Name}", context, input)
    {
        (_layer, _relu) = (layer, relu is not null);
        _weightDims = [layer.OutFeatures, layer.InFeatures];
        _weights = Own(new ParameterTransfer(context, layer.Weight, _weightDims));
        _bias = Own(new ParameterTransfer(context, layer.Bias, [layer.OutFeatures]));
        var desc = default(OpDesc);
        var (src, weights, bias, dst) = (MemoryDescs.Plain([batch, layer.InFeatures]), MemoryDescs.Any(_weightDims), _bias.CanonicalDesc,
            MemoryDescs.Plain([batch, layer.OutFeatures]));
        NativeMethods.Check(NativeMethods.dnnl_inner_product_forward_desc_init(&desc, training ? DnnlConstants.ForwardTraining : DnnlConstants.ForwardInference,
            &src, &weights, &bias, &dst), $"dnnl_inner_product_forward_desc_init ({Name})");
        if (_relu)
        {
            using var attr = PostOpAttribute.Relu();
            _forward = Own(DnnlPrimitive.Create(context, &desc, Name, attr.Handle));
        }
        else
        {
            _forward = Own(DnnlPrimitive.Create(context, &desc, Name));
        }
        _src = AdaptInput(_forward.Query(DnnlConstants.QuerySrcMd));
        _weightsLoader = _weights.CreateLoader(_forward.Query(DnnlConstants.QueryWeightsMd));
        _biasLoader = _bias.CreateLoader(_bias.CanonicalDesc);
        Output = Own(DnnlMemory.Allocate(context, _forward.Query(DnnlConstants.QueryDstMd)));
        _forward.Bind((DnnlConstants.ArgSrc, _src), (DnnlConstants.ArgWeights, _weightsLoader.Memory), (DnnlConstants.ArgBias, _biasLoader.Memory),
            (DnnlConstants.ArgDst, Output));
    }

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context)
    {
        ReorderInput();
        _weightsLoader.Load();
        _biasLoader.Load();
        _forward.Execute(Context);
    }

    public override void PrepareBackward(DnnlMemory diffOutput)
    {
        if (_relu)
        {
            _reluBackward = Own(new ReluBackward(Context, Name + " relu", Output, diffOutput));
            diffOutput = _reluBackward.DiffInput;
        }
        var desc = default(OpDesc);
        var (src, diffWeights, diffBias, diffDst) = (_src.Desc, MemoryDescs.Any(_weightDims), _bias.CanonicalDesc, Output.Desc);
        NativeMethods.Check(NativeMethods.dnnl_inner_product_backward_weights_desc_init(&desc, &src, &diffWeights, &diffBias, &diffDst),
            $"dnnl_inner_product_backward_weights_desc_init ({Name})");
        _backwardWeights = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward weights", hint: _forward));
        diffOutput = AdaptDiffOutput(diffOutput, _backwardWeights.Query(DnnlConstants.QueryDiffDstMd));
        _weightsGradient = _weights.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd));
        _biasGradient = _bias.CreateAccumulator(_backwardWeights.Query(DnnlConstants.QueryDiffWeightsMd, index: 1));
        _backwardWeights.Bind((DnnlConstants.ArgSrc, _src), (DnnlConstants.ArgDiffDst, diffOutput), (DnnlConstants.ArgDiffWeights, _weightsGradient.Memory),
            (DnnlConstants.ArgDiffBias, _biasGradient.Memory));
        if (!_layer.ComputesInputGradient) return;
        desc = default;
        var weights = MemoryDescs.Any(_weightDims);
        NativeMethods.Check(NativeMethods.dnnl_inner_product_backward_data_desc_init(&desc, &src, &weights, &diffDst),
            $"dnnl_inner_product_backward_data_desc_init ({Name})");
        _backwardData = Own(DnnlPrimitive.Create(Context, &desc, Name + " backward data", hint: _forward));
        var weightsMemory = _weightsLoader.Memory;
        var wanted = _backwardData.Query(DnnlConstants.QueryWeightsMd);
        if (!MemoryDescs.Equal(wanted, weightsMemory.Desc))
        {
            weightsMemory = Own(DnnlMemory.Allocate(Context, wanted));
            _weightsForData = Own(DnnlPrimitive.Reorder(Context, _weightsLoader.Memory.Desc, wanted, Name + " weights for backward data"))
                .Bind((DnnlConstants.ArgFrom, _weightsLoader.Memory), (DnnlConstants.ArgTo, weightsMemory));
        }
        if (!MemoryDescs.Equal(_backwardData.Query(DnnlConstants.QueryDiffDstMd), diffOutput.Desc))
        {
            throw new OneDnnException($"{Name}: backward data wants another output-gradient layout than backward weights.");
        }
        var dx = CreateDiffInput(_backwardData.Query(DnnlConstants.QueryDiffSrcMd));
        _backwardData.Bind((DnnlConstants.ArgDiffDst, diffOutput), (DnnlConstants.ArgWeights, weightsMemory), (DnnlConstants.ArgDiffSrc, dx));
    }

    public override void Backward()
    {
        _reluBackward?.Execute();
        ReorderDiffOutput();
        _backwardWeights!.Execute(Context);
        _weightsGradient!.Accumulate();
        _biasGradient!.Accumulate();
        if (_backwardData is null) return;
        _weightsForData?.Execute(Context);
        _backwardData.Execute(Context);
        ReorderDiffInput();
    }
}
