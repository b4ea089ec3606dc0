using System.Numerics.Tensors;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Adds <see cref="Memory"/> (a primitive's diff weights or diff bias) to the parameter's gradient: gradients
/// accumulate, as the managed layers' do. When the primitive chose another layout, a reorder with a sum post-op
/// converts and adds in one pass into the pinned gradient array; otherwise a plain vector add.
/// </summary>
internal sealed unsafe class GradientAccumulator(DnnlContext context, Parameter parameter, DnnlMemory canonical, DnnlMemory memory, DnnlPrimitive? reorder)
{
    public DnnlMemory Memory => memory;

    public void Accumulate()
    {
        var gradient = parameter.Gradient.Data;
        if (reorder is null)
        {
            TensorPrimitives.Add(memory.Floats[..gradient.Length], gradient, gradient);
            return;
        }
        fixed (float* p = gradient)
        {
            canonical.Bind((nint)p);
            reorder.Execute(context);
            context.Wait();
            canonical.Bind(0);
        }
    }
}
