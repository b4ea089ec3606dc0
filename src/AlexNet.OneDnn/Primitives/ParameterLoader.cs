using AlexNet.Tensors;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Copies a parameter's current values into <see cref="Memory"/>, in a primitive's layout: through a reorder from
/// the pinned canonical array, or a plain copy when the layouts agree.
/// </summary>
internal sealed unsafe class ParameterLoader(DnnlContext context, Parameter parameter, DnnlMemory canonical, DnnlMemory memory, DnnlPrimitive? reorder)
{
    public DnnlMemory Memory => memory;

    public void Load()
    {
        var values = parameter.Value.Data;
        if (reorder is null)
        {
            values.AsSpan().CopyTo(memory.Floats);
            return;
        }
        fixed (float* p = values)
        {
            canonical.Bind((nint)p);
            reorder.Execute(context);
            context.Wait();
            canonical.Bind(0);
        }
    }
}
