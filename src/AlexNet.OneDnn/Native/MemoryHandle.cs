using Microsoft.Win32.SafeHandles;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_memory_t.</summary>
internal sealed class MemoryHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_memory_destroy(handle) == 0;
}
