using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Primitive attributes holding one post-op: ReLU (the ReLU fused into the convolution or inner product before
/// it) or sum (a reorder that adds into its destination, which is how gradients accumulate).
/// </summary>
internal sealed class PostOpAttribute : IDisposable
{
    private PostOpAttribute(Func<nint, int> append, string call)
    {
        NativeMethods.Check(NativeMethods.dnnl_post_ops_create(out var postOps), "dnnl_post_ops_create");
        try
        {
            NativeMethods.Check(append(postOps), call);
            NativeMethods.Check(NativeMethods.dnnl_primitive_attr_create(out var attr), "dnnl_primitive_attr_create");
            Handle = attr;
            NativeMethods.Check(NativeMethods.dnnl_primitive_attr_set_post_ops(attr, postOps), "dnnl_primitive_attr_set_post_ops");
        }
        finally
        {
            // The attribute keeps its own copy of the post-ops; a failed destroy only leaks a few bytes.
            NativeMethods.dnnl_post_ops_destroy(postOps);
        }
    }

    /// <summary>eltwise_relu with α 0 and scale 1.</summary>
    public static PostOpAttribute Relu() =>
        new(p => NativeMethods.dnnl_post_ops_append_eltwise(p, 1f, DnnlConstants.EltwiseRelu, 0f, 0f), "dnnl_post_ops_append_eltwise");

    /// <summary>dst = result + 1 · dst.</summary>
    public static PostOpAttribute Sum() => new(p => NativeMethods.dnnl_post_ops_append_sum(p, 1f), "dnnl_post_ops_append_sum");

    public nint Handle { get; }

    public void Dispose()
    {
        if (Handle != 0) NativeMethods.dnnl_primitive_attr_destroy(Handle);
    }
}
