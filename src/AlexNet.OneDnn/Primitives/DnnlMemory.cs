using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// A oneDNN memory object: a descriptor plus data. Owned memory is allocated by oneDNN (aligned, padded for
/// blocked layouts); a view shares another memory's data under a different descriptor; an unbound memory gets
/// its data (a pinned managed array) just before each use.
/// </summary>
internal sealed unsafe class DnnlMemory : IDisposable
{
    private MemoryDesc _desc;

    private DnnlMemory(DnnlContext context, in MemoryDesc desc, nint data)
    {
        _desc = desc;
        fixed (MemoryDesc* p = &_desc)
        {
            NativeMethods.Check(NativeMethods.dnnl_memory_create(out var handle, p, context.Engine, data), "dnnl_memory_create");
            Handle = handle;
        }
        NativeMethods.Check(NativeMethods.dnnl_memory_get_data_handle(Handle, out var pointer), "dnnl_memory_get_data_handle");
        Data = pointer;
        Bytes = MemoryDescs.Bytes(_desc);
    }

    public static DnnlMemory Allocate(DnnlContext context, in MemoryDesc desc) => new(context, desc, DnnlConstants.AllocateMemory);

    /// <summary>Another descriptor over <paramref name="data"/>, which must outlive this memory.</summary>
    public static DnnlMemory View(DnnlContext context, in MemoryDesc desc, nint data) => new(context, desc, data);

    public static DnnlMemory Unbound(DnnlContext context, in MemoryDesc desc) => new(context, desc, 0);

    public MemoryHandle Handle { get; }

    public nint Raw => Handle.DangerousGetHandle();

    public ref readonly MemoryDesc Desc => ref _desc;

    public nint Data { get; private set; }

    public long Bytes { get; }

    /// <summary>The data as floats, including any padding of a blocked layout.</summary>
    public Span<float> Floats => new((void*)Data, checked((int)(Bytes / sizeof(float))));

    public void Bind(nint data)
    {
        NativeMethods.Check(NativeMethods.dnnl_memory_set_data_handle(Handle, data), "dnnl_memory_set_data_handle");
        Data = data;
    }

    public void Dispose() => Handle.Dispose();
}
