using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn.Primitives;

/// <summary>Builds and compares memory descriptors (float32 everywhere).</summary>
internal static unsafe class MemoryDescs
{
    /// <summary>A descriptor with the given dims and format tag (<see cref="DnnlConstants.FormatAny"/> lets the primitive choose).</summary>
    public static MemoryDesc Create(ReadOnlySpan<int> dims, int tag)
    {
        var md = default(MemoryDesc);
        var d = ToDims(dims);
        NativeMethods.Check(NativeMethods.dnnl_memory_desc_init_by_tag(&md, dims.Length, (long*)&d, DnnlConstants.F32, tag),
            $"dnnl_memory_desc_init_by_tag ({string.Join('×', dims.ToArray())}, tag {tag})");
        return md;
    }

    public static MemoryDesc Any(ReadOnlySpan<int> dims) => Create(dims, DnnlConstants.FormatAny);

    /// <summary>Row-major (C order) layout: nc, nchw, oihw, goihw.</summary>
    public static MemoryDesc Plain(ReadOnlySpan<int> dims) => Create(dims, dims.Length switch
    {
        1 => DnnlConstants.FormatA,
        2 => DnnlConstants.FormatAb,
        4 => DnnlConstants.FormatAbcd,
        5 => DnnlConstants.FormatAbcde,
        _ => throw new ArgumentException($"No plain layout for {dims.Length} dimensions."),
    });

    /// <summary>Whether <paramref name="desc"/> is oneDNN's nChw8c (channels in blocks of 8), the layout the managed blocked kernels take.</summary>
    public static bool IsChannelBlocked8(in MemoryDesc desc) => Equal(desc, Create(Dims(desc), DnnlConstants.FormatABcd8b));

    public static bool Equal(in MemoryDesc a, in MemoryDesc b)
    {
        fixed (MemoryDesc* pa = &a, pb = &b) return NativeMethods.dnnl_memory_desc_equal(pa, pb) != 0;
    }

    public static long Bytes(in MemoryDesc md)
    {
        fixed (MemoryDesc* p = &md) return (long)NativeMethods.dnnl_memory_desc_get_size(p);
    }

    public static Dims ToDims(ReadOnlySpan<int> values)
    {
        var dims = default(Dims);
        for (var i = 0; i < values.Length; i++) dims[i] = values[i];
        return dims;
    }

    /// <summary>The logical dims of a memory descriptor (ndims at offset 0, dims from offset 8, as in dnnl_memory_desc_t).</summary>
    public static int[] Dims(in MemoryDesc desc)
    {
        fixed (MemoryDesc* p = &desc)
        {
            var ndims = *(int*)p;
            var dims = (long*)((byte*)p + 8);
            var result = new int[ndims];
            for (var i = 0; i < ndims; i++) result[i] = checked((int)dims[i]);
            return result;
        }
    }
}
