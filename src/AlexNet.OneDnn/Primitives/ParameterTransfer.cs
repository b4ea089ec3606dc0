using AlexNet.OneDnn.Native;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Moves one parameter across the seam. Values change every optimizer step, so each forward pass reorders the
/// canonical array (OIHW, goihw for groups, (out, in), or a bias vector) into the layout a primitive chose;
/// gradients come back the other way and are added to <see cref="Parameter.Gradient"/>, as the managed layers do.
/// </summary>
internal sealed unsafe class ParameterTransfer : IDisposable
{
    private readonly DnnlContext _context;
    private readonly Parameter _parameter;
    private readonly DnnlMemory _canonical;
    private readonly List<IDisposable> _owned = [];

    /// <param name="dims">The canonical dims as oneDNN sees them (5-D goihw for grouped convolution weights).</param>
    public ParameterTransfer(DnnlContext context, Parameter parameter, int[] dims)
    {
        (_context, _parameter) = (context, parameter);
        _canonical = DnnlMemory.Unbound(context, MemoryDescs.Plain(dims));
        _owned.Add(_canonical);
    }

    public ref readonly MemoryDesc CanonicalDesc => ref _canonical.Desc;

    /// <summary>Memory in <paramref name="desc"/> that <see cref="ParameterLoader.Load"/> fills from the parameter's values.</summary>
    public ParameterLoader CreateLoader(in MemoryDesc desc)
    {
        var target = DnnlMemory.Allocate(_context, desc);
        _owned.Add(target);
        DnnlPrimitive? reorder = null;
        if (!MemoryDescs.Equal(desc, _canonical.Desc))
        {
            reorder = DnnlPrimitive.Reorder(_context, _canonical.Desc, desc, $"{_parameter.Name} to primitive layout")
                .Bind((DnnlConstants.ArgFrom, _canonical), (DnnlConstants.ArgTo, target));
            _owned.Add(reorder);
        }
        return new ParameterLoader(_context, _parameter, _canonical, target, reorder);
    }

    /// <summary>Memory in <paramref name="desc"/> whose contents <see cref="GradientAccumulator.Accumulate"/> adds to the parameter's gradient.</summary>
    public GradientAccumulator CreateAccumulator(in MemoryDesc desc)
    {
        var source = DnnlMemory.Allocate(_context, desc);
        _owned.Add(source);
        DnnlPrimitive? reorder = null;
        if (!MemoryDescs.Equal(desc, _canonical.Desc))
        {
            // A reorder with a sum post-op adds straight into the pinned gradient array: no canonical-layout copy.
            using var sum = PostOpAttribute.Sum();
            reorder = DnnlPrimitive.Reorder(_context, desc, _canonical.Desc, $"{_parameter.Name} gradient to canonical layout", sum.Handle)
                .Bind((DnnlConstants.ArgFrom, source), (DnnlConstants.ArgTo, _canonical));
            _owned.Add(reorder);
        }
        return new GradientAccumulator(_context, _parameter, _canonical, source, reorder);
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
    }
}
