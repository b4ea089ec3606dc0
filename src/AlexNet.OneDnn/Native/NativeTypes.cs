using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_memory_desc_t: 696 bytes on x86-64 in 2.6.3 (DNNL_MAX_NDIMS 12), treated as an opaque blob.</summary>
[InlineArray(696)]
internal struct MemoryDesc
{
    private byte _first;
}

/// <summary>
/// Room for any operation descriptor the backend fills (2.6.3 sizes: convolution 5976, inner product 5584,
/// pooling v2 3288, LRN 1432, eltwise 1416 bytes).
/// </summary>
[InlineArray(6144)]
internal struct OpDesc
{
    private byte _first;
}

/// <summary>dnnl_dims_t: DNNL_MAX_NDIMS (12) int64 values.</summary>
[InlineArray(12)]
internal struct Dims
{
    private long _first;
}

/// <summary>dnnl_exec_arg_t: int arg, 4 bytes of padding, dnnl_memory_t (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ExecArg
{
    public int Arg;
    public nint Memory;
}

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
