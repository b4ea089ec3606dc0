using System.Runtime.CompilerServices;

namespace AlexNet.OneDnn.Native;

/// <summary>dnnl_dims_t: DNNL_MAX_NDIMS (12) int64 values.</summary>
[InlineArray(12)]
internal struct Dims
{
    private long _first;
}
