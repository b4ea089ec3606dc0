using Microsoft.Win32.SafeHandles;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_engine_t.</summary>
internal sealed class EngineHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_engine_destroy(handle) == 0;
}
