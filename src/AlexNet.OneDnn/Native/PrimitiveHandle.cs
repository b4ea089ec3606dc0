using Microsoft.Win32.SafeHandles;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_primitive_t.</summary>
internal sealed class PrimitiveHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_primitive_destroy(handle) == 0;
}
