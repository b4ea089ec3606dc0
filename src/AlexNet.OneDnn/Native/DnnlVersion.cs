using System.Runtime.InteropServices;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_version_t.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DnnlVersion
{
    public int Major;
    public int Minor;
    public int Patch;
    public nint Hash;
    public uint CpuRuntime;
    public uint GpuRuntime;
}
