using Microsoft.Win32.SafeHandles;

namespace AlexNet.Imaging;

/// <summary>A TurboJPEG decompressor (tjhandle), destroyed with tjDestroy.</summary>
internal sealed class TurboJpegHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public TurboJpegHandle() : base(ownsHandle: true) { }

    protected override bool ReleaseHandle() => NativeMethods.tjDestroy(handle) == 0;
}
