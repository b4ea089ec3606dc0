using AlexNet.Kernels;
using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// Max pooling on oneDNN's nChw8c activations, computed in place by the managed <see cref="BlockedMaxPooling"/> (no
/// layout change): on AVX2, oneDNN 2.6's own pooling took 3–4× longer for AlexNet's 3/2 windows (bench/speed.sh
/// profiles, one Zen 3 core). Listed in the plan's kernels as <c>managed:nChw8c</c>.
/// </summary>
internal sealed class BlockedMaxPoolStep : PlanStep
{
    private readonly MaxPoolLayer _layer;
    private readonly int _blocks, _height, _width;
    private readonly int[] _winners;
    private DnnlMemory? _diffOutput;

    public BlockedMaxPoolStep(MaxPoolLayer layer, DnnlContext context, DnnlMemory input, int batch, Shape inputShape) : base(layer.Name, context, input)
    {
        _layer = layer;
        (_height, _width) = (inputShape[1], inputShape[2]);
        _blocks = batch * ((inputShape[0] + BlockedMaxPooling.Block - 1) / BlockedMaxPooling.Block);
        var output = layer.OutputShape(inputShape);
        Output = Own(DnnlMemory.Allocate(context, MemoryDescs.Create([batch, output[0], output[1], output[2]], DnnlConstants.FormatABcd8b)));
        _winners = new int[Output.Bytes / sizeof(float)];
        context.Log?.Add(new PrimitiveRecord(Name, "managed:nChw8c"));
    }

    /// <summary>Whether <paramref name="input"/> is in the layout this step computes on (and the machine has 256-bit vectors).</summary>
    public static bool Takes(DnnlMemory input) =>
        System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated
        && MemoryDescs.IsChannelBlocked8(input.Desc);

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context) =>
        BlockedMaxPooling.Forward(Input.Floats, Output.Floats, _winners, _blocks, _height, _width, _layer.Window, _layer.Stride);

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        _diffOutput = AdaptDiffOutput(diffOutput, Output.Desc);
        CreateDiffInput(Input.Desc);
    }

    public override void Backward()
    {
        ReorderDiffOutput();
        Context.Wait();
        BlockedMaxPooling.Backward(_diffOutput!.Floats, _winners, DiffInput!.Floats, _blocks, _height, _width, _layer.Window, _layer.Stride);
    }
}
