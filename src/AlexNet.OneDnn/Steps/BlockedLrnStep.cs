using AlexNet.Kernels;
using AlexNet.Layers;
using AlexNet.OneDnn.Native;
using AlexNet.OneDnn.Primitives;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Steps;

/// <summary>
/// LRN on oneDNN's nChw8c activations, computed by the managed <see cref="BlockedLocalResponseNorm"/> with no layout
/// change: on AVX2, oneDNN 2.6's LRN forward took over twice as long (mini's norm1 at batch 128: 6.2 against 1.8 ms on
/// two Zen 3 cores), and backward recomputes the scales from the input instead of reading a workspace. Listed in the
/// plan's kernels as <c>managed:nChw8c</c>.
/// </summary>
internal sealed class BlockedLrnStep : PlanStep
{
    private readonly LrnGeometry _geometry;
    private DnnlMemory? _diffOutput;

    public BlockedLrnStep(LrnLayer layer, DnnlContext context, DnnlMemory input, int batch, Shape inputShape) : base(layer.Name, context, input)
    {
        _geometry = layer.Geometry(batch, inputShape);
        Output = Own(DnnlMemory.Allocate(context, input.Desc));
        context.Log?.Add(new PrimitiveRecord(Name, "managed:nChw8c"));
    }

    /// <summary>Whether <paramref name="input"/> is nChw8c and the kernel computes this layer's window and channels.</summary>
    public static bool Takes(LrnLayer layer, DnnlMemory input, int batch, Shape inputShape) =>
        BlockedLocalResponseNorm.Takes(layer.Geometry(batch, inputShape))
        && MemoryDescs.IsChannelBlocked8(input.Desc);

    public override DnnlMemory Output { get; }

    public override void Forward(ForwardContext context) => BlockedLocalResponseNorm.Forward(Input.Floats, Output.Floats, _geometry);

    protected override void CreateBackward(DnnlMemory diffOutput)
    {
        _diffOutput = AdaptDiffOutput(diffOutput, Output.Desc);
        CreateDiffInput(Input.Desc);
    }

    public override void Backward()
    {
        ReorderDiffOutput();
        Context.Wait();
        BlockedLocalResponseNorm.Backward(Input.Floats, _diffOutput!.Floats, DiffInput!.Floats, _geometry);
    }
}
