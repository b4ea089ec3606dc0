using System.Runtime.InteropServices;
using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn.Primitives;

/// <summary>A primitive descriptor and the primitive created from it, with their argument list bound once.</summary>
internal sealed unsafe class DnnlPrimitive : IDisposable
{
    private readonly string _what;
    private ExecArg[] _args = [];

    /// <summary>
    /// Creates the primitive unless oneDNN chose its reference implementation for it: that is refused with a
    /// <see cref="ReferenceImplementationException"/> (before anything runs) so that the caller tries other memory
    /// formats or hands the layer to the managed kernels.
    /// </summary>
    private DnnlPrimitive(DnnlContext context, PrimitiveDescHandle descriptor, string what)
    {
        Descriptor = descriptor;
        _what = what;
        var record = new PrimitiveRecord(what, ImplementationOf(descriptor));
        if (context.Refuses(record))
        {
            descriptor.Dispose();
            throw new ReferenceImplementationException(what, record.Implementation);
        }
        NativeMethods.Check(NativeMethods.dnnl_primitive_create(out var primitive, descriptor), $"dnnl_primitive_create ({what})");
        Handle = primitive;
        context.Log?.Add(record);
    }

    /// <summary>True for oneDNN's scalar reference implementations (<c>ref:any</c>, <c>ref_int8:any</c> …).</summary>
    public static bool IsReference(string implementation) => implementation.StartsWith("ref", StringComparison.Ordinal);

    public PrimitiveDescHandle Descriptor { get; }

    public PrimitiveHandle Handle { get; }

    /// <summary>Creates the primitive for an operation descriptor; <paramref name="hint"/> is the forward primitive of a backward one.</summary>
    public static DnnlPrimitive Create(DnnlContext context, OpDesc* desc, string what, nint attr = 0, DnnlPrimitive? hint = null)
    {
        var hintHandle = hint?.Descriptor.DangerousGetHandle() ?? 0;
        NativeMethods.Check(NativeMethods.dnnl_primitive_desc_create(out var pd, desc, attr, context.Engine, hintHandle),
            $"dnnl_primitive_desc_create ({what})");
        return new DnnlPrimitive(context, pd, what);
    }

    public static DnnlPrimitive Reorder(DnnlContext context, in MemoryDesc from, in MemoryDesc to, string what, nint attr = 0)
    {
        fixed (MemoryDesc* pf = &from, pt = &to)
        {
            NativeMethods.Check(NativeMethods.dnnl_reorder_primitive_desc_create(out var pd, pf, context.Engine, pt, context.Engine, attr),
                $"dnnl_reorder_primitive_desc_create ({what})");
            return new DnnlPrimitive(context, pd, what);
        }
    }

    /// <summary>The layout the primitive chose for one of its arguments (a zero descriptor when it has none); index 1 of weights is the bias.</summary>
    public MemoryDesc Query(int what, int index = 0) => *NativeMethods.dnnl_primitive_desc_query_md(Descriptor, what, index);

    private static string ImplementationOf(PrimitiveDescHandle descriptor)
    {
        nint text = 0;
        NativeMethods.Check(NativeMethods.dnnl_primitive_desc_query(descriptor, DnnlConstants.QueryImplInfoString, 0, &text), "dnnl_primitive_desc_query");
        return Marshal.PtrToStringUTF8(text) ?? "";
    }

    /// <summary>Fixes the memories every execution uses (they live as long as the compiled plan).</summary>
    public DnnlPrimitive Bind(params ReadOnlySpan<(int Arg, DnnlMemory Memory)> args)
    {
        _args = new ExecArg[args.Length];
        for (var i = 0; i < args.Length; i++) _args[i] = new ExecArg { Arg = args[i].Arg, Memory = args[i].Memory.Raw };
        return this;
    }

    public void Execute(DnnlContext context)
    {
        fixed (ExecArg* p = _args)
        {
            NativeMethods.Check(NativeMethods.dnnl_primitive_execute(Handle, context.Stream, _args.Length, p), $"dnnl_primitive_execute ({_what})");
        }
    }

    public void Dispose()
    {
        Handle.Dispose();
        Descriptor.Dispose();
    }
}
