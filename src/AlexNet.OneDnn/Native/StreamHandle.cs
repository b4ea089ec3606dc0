using Microsoft.Win32.SafeHandles;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_stream_t.</summary>
internal sealed class StreamHandle() : SafeHandleZeroOrMinusOneIsInvalid(true)
{
    protected override bool ReleaseHandle() => NativeMethods.dnnl_stream_destroy(handle) == 0;
}
