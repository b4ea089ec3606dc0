using Microsoft.Win32.SafeHandles;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_primitive_desc_t.</summary>
internal sealed class PrimitiveDescHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_primitive_desc_destroy(handle) == 0;
}
