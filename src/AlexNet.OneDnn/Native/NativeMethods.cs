using System.Runtime.InteropServices;

namespace AlexNet.OneDnn.Native;

/// <summary>
/// Every native call of the backend: oneDNN 2.6's C API (Debian's libdnnl2) and libc's setenv. Constants and
/// struct sizes come from the 2.6.3 headers in /usr/include/oneapi/dnnl (3.x changed both). Callers check each
/// status right away with <see cref="Check"/>, which names the call that failed.
/// </summary>
internal static unsafe partial class NativeMethods
{
    public const string LibraryName = "libdnnl.so.2";

    /// <summary>Turns a dnnl_status_t into an exception naming the call.</summary>
    public static void Check(int status, string call)
    {
        if (status == 0) return;
        var meaning = status switch
        {
            1 => "out of memory",
            2 => "invalid arguments",
            3 => "unimplemented",
            4 => "iterator ends",
            5 => "runtime error",
            6 => "not required",
            _ => "unknown status",
        };
        throw new OneDnnException($"{call} failed: {meaning} (status {status}).");
    }

    public static string VersionString()
    {
        var version = dnnl_version();
        return $"{version->Major}.{version->Minor}.{version->Patch}";
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int setenv(string name, string value, int overwrite);

    [LibraryImport(LibraryName)]
    internal static partial DnnlVersion* dnnl_version();

    /// <summary>The dnnl_cpu_isa_t oneDNN dispatches to (after ONEDNN_MAX_CPU_ISA).</summary>
    [LibraryImport(LibraryName)]
    internal static partial int dnnl_get_effective_cpu_isa();

    // Engine and stream.
    [LibraryImport(LibraryName)]
    internal static partial int dnnl_engine_create(out EngineHandle engine, int kind, nuint index);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_engine_destroy(nint engine);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_stream_create(out StreamHandle stream, EngineHandle engine, uint flags);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_stream_wait(StreamHandle stream);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_stream_destroy(nint stream);

    /// <summary>Row-major C = alpha·op(A)·op(B) + beta·C; 'N' or 'T' for op.</summary>
    [LibraryImport(LibraryName)]
    internal static partial int dnnl_sgemm(byte transA, byte transB, long m, long n, long k, float alpha, float* a, long lda, float* b, long ldb,
        float beta, float* c, long ldc);

    // Memory.
    [LibraryImport(LibraryName)]
    internal static partial int dnnl_memory_desc_init_by_tag(MemoryDesc* md, int ndims, long* dims, int dataType, int tag);

    [LibraryImport(LibraryName)]
    internal static partial nuint dnnl_memory_desc_get_size(MemoryDesc* md);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_memory_desc_equal(MemoryDesc* lhs, MemoryDesc* rhs);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_memory_create(out MemoryHandle memory, MemoryDesc* md, EngineHandle engine, nint handle);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_memory_get_data_handle(MemoryHandle memory, out nint handle);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_memory_set_data_handle(MemoryHandle memory, nint handle);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_memory_destroy(nint memory);

    // Attributes (short-lived, owned by the caller between create and destroy).
    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_attr_create(out nint attr);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_attr_destroy(nint attr);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_attr_set_post_ops(nint attr, nint postOps);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_post_ops_create(out nint postOps);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_post_ops_destroy(nint postOps);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_post_ops_append_sum(nint postOps, float scale);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_post_ops_append_eltwise(nint postOps, float scale, int algorithm, float alpha, float beta);

    // Operation descriptors (filled by value into an OpDesc blob).
    [LibraryImport(LibraryName)]
    internal static partial int dnnl_convolution_forward_desc_init(OpDesc* desc, int propKind, int algorithm, MemoryDesc* src,
        MemoryDesc* weights, MemoryDesc* bias, MemoryDesc* dst, long* strides, long* paddingLeft, long* paddingRight);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_convolution_backward_data_desc_init(OpDesc* desc, int algorithm, MemoryDesc* diffSrc,
        MemoryDesc* weights, MemoryDesc* diffDst, long* strides, long* paddingLeft, long* paddingRight);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_convolution_backward_weights_desc_init(OpDesc* desc, int algorithm, MemoryDesc* src,
        MemoryDesc* diffWeights, MemoryDesc* diffBias, MemoryDesc* diffDst, long* strides, long* paddingLeft, long* paddingRight);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_eltwise_forward_desc_init(OpDesc* desc, int propKind, int algorithm, MemoryDesc* data, float alpha, float beta);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_eltwise_backward_desc_init(OpDesc* desc, int algorithm, MemoryDesc* diffData, MemoryDesc* data, float alpha, float beta);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_lrn_forward_desc_init(OpDesc* desc, int propKind, int algorithm, MemoryDesc* data,
        long localSize, float alpha, float beta, float k);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_lrn_backward_desc_init(OpDesc* desc, int algorithm, MemoryDesc* diffData, MemoryDesc* data,
        long localSize, float alpha, float beta, float k);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_pooling_v2_forward_desc_init(OpDesc* desc, int propKind, int algorithm, MemoryDesc* src, MemoryDesc* dst,
        long* strides, long* kernel, long* dilation, long* paddingLeft, long* paddingRight);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_pooling_v2_backward_desc_init(OpDesc* desc, int algorithm, MemoryDesc* diffSrc, MemoryDesc* diffDst,
        long* strides, long* kernel, long* dilation, long* paddingLeft, long* paddingRight);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_inner_product_forward_desc_init(OpDesc* desc, int propKind, MemoryDesc* src, MemoryDesc* weights,
        MemoryDesc* bias, MemoryDesc* dst);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_inner_product_backward_data_desc_init(OpDesc* desc, MemoryDesc* diffSrc, MemoryDesc* weights, MemoryDesc* diffDst);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_inner_product_backward_weights_desc_init(OpDesc* desc, MemoryDesc* src, MemoryDesc* diffWeights,
        MemoryDesc* diffBias, MemoryDesc* diffDst);

    // Primitive descriptors and primitives.
    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_desc_create(out PrimitiveDescHandle pd, OpDesc* desc, nint attr, EngineHandle engine, nint hint);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_reorder_primitive_desc_create(out PrimitiveDescHandle pd, MemoryDesc* src, EngineHandle srcEngine,
        MemoryDesc* dst, EngineHandle dstEngine, nint attr);

    [LibraryImport(LibraryName)]
    internal static partial MemoryDesc* dnnl_primitive_desc_query_md(PrimitiveDescHandle pd, int what, int index);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_desc_query(PrimitiveDescHandle pd, int what, int index, void* result);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_desc_destroy(nint pd);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_create(out PrimitiveHandle primitive, PrimitiveDescHandle pd);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_execute(PrimitiveHandle primitive, StreamHandle stream, int nargs, ExecArg* args);

    [LibraryImport(LibraryName)]
    internal static partial int dnnl_primitive_destroy(nint primitive);
}
