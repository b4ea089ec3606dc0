using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn.Primitives;

/// <summary>Primitive attributes with one post-op, ReLU (eltwise_relu, α 0, scale 1): the ReLU fused into the layer.</summary>
internal sealed class ReluAttribute : IDisposable
{
    public ReluAttribute()
    {
        NativeMethods.Check(NativeMethods.dnnl_post_ops_create(out var postOps), "dnnl_post_ops_create");
        try
        {
            NativeMethods.Check(NativeMethods.dnnl_post_ops_append_eltwise(postOps, 1f, DnnlConstants.EltwiseRelu, 0f, 0f), "dnnl_post_ops_append_eltwise");
            NativeMethods.Check(NativeMethods.dnnl_primitive_attr_create(out var attr), "dnnl_primitive_attr_create");
            Handle = attr;
            NativeMethods.Check(NativeMethods.dnnl_primitive_attr_set_post_ops(attr, postOps), "dnnl_primitive_attr_set_post_ops");
        }
        finally
        {
            // The attribute keeps its own copy of the post-ops.
            NativeMethods.dnnl_post_ops_destroy(postOps);
        }
    }

    public nint Handle { get; }

    public void Dispose()
    {
        if (Handle != 0) NativeMethods.dnnl_primitive_attr_destroy(Handle);
    }
}
