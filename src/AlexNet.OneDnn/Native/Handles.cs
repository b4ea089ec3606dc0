using Microsoft.Win32.SafeHandles;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_engine_t.</summary>
internal sealed class EngineHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_engine_destroy(handle) == 0;
}

/// <summary>dnnl_stream_t.</summary>
internal sealed class StreamHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_stream_destroy(handle) == 0;
}

/// <summary>dnnl_memory_t.</summary>
internal sealed class MemoryHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_memory_destroy(handle) == 0;
}

/// <summary>dnnl_primitive_desc_t.</summary>
internal sealed class PrimitiveDescHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_primitive_desc_destroy(handle) == 0;
}

/// <summary>dnnl_primitive_t.</summary>
internal sealed class PrimitiveHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_primitive_destroy(handle) == 0;
}
