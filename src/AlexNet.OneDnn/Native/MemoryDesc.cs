using System.Runtime.CompilerServices;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_memory_desc_t: 696 bytes on x86-64 in 2.6.3 (DNNL_MAX_NDIMS 12), treated as an opaque blob.</summary>
[InlineArray(696)]
internal struct MemoryDesc
{
    private byte _first;
}
