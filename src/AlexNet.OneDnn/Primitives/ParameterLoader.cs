namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// A parameter's current values in a primitive's layout: the pinned parameter array itself when the layouts agree
/// (nothing to do), otherwise a copy that <see cref="Load"/> refreshes through a reorder before each forward.
/// </summary>
internal sealed class ParameterLoader(DnnlContext context, DnnlMemory memory, DnnlPrimitive? reorder)
{
    public DnnlMemory Memory => memory;

    public void Load() => reorder?.Execute(context);
}
