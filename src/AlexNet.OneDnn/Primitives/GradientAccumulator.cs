using System.Numerics.Tensors;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Adds <see cref="Memory"/> (a primitive's diff weights or diff bias) to the parameter's gradient, reordered to
/// canonical layout first when the primitive chose another: gradients accumulate, as the managed layers' do.
/// </summary>
internal sealed class GradientAccumulator(DnnlContext context, Parameter parameter, DnnlMemory memory, DnnlMemory plain, DnnlPrimitive? reorder)
{
    public DnnlMemory Memory => memory;

    public void Accumulate()
    {
        reorder?.Execute(context);
        context.Wait();
        var gradient = parameter.Gradient.Data;
        TensorPrimitives.Add(plain.Floats[..gradient.Length], gradient, gradient);
    }
}
