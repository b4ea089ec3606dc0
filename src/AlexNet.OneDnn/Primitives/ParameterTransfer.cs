using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlexNet.OneDnn.Native;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Moves one parameter across the seam. Parameter arrays are pinned, so oneDNN memories wrap them in place: a
/// primitive that takes the canonical layout (OIHW, goihw for groups, (out, in), or a bias vector) reads the
/// values and writes the gradient with no copy; one that chose another layout gets a reorder at every forward
/// (the optimizer changes the values between steps) and a summing reorder back into the gradient.
/// </summary>
internal sealed unsafe class ParameterTransfer : IDisposable
{
    private readonly DnnlContext _context;
    private readonly Parameter _parameter;
    private readonly DnnlMemory _values, _gradient;
    private readonly List<IDisposable> _owned = [];

    /// <param name="dims">The canonical dims as oneDNN sees them (5-D goihw for grouped convolution weights).</param>
    public ParameterTransfer(DnnlContext context, Parameter parameter, int[] dims)
    {
        (_context, _parameter) = (context, parameter);
        var desc = MemoryDescs.Plain(dims);
        _values = Own(DnnlMemory.View(context, desc, AddressOf(parameter.Value.Data)));
        _gradient = Own(DnnlMemory.View(context, desc, AddressOf(parameter.Gradient.Data)));
    }

    public ref readonly MemoryDesc CanonicalDesc => ref _values.Desc;

    /// <summary>The parameter's values in <paramref name="desc"/>: the pinned array itself, or a copy <see cref="ParameterLoader.Load"/> refreshes.</summary>
    public ParameterLoader CreateLoader(in MemoryDesc desc)
    {
        if (MemoryDescs.Equal(desc, _values.Desc)) return new ParameterLoader(_context, _values, reorder: null);
        var target = Own(DnnlMemory.Allocate(_context, desc));
        var reorder = Own(DnnlPrimitive.Reorder(_context, _values.Desc, desc, $"{_parameter.Name} to primitive layout")
            .Bind((DnnlConstants.ArgFrom, _values), (DnnlConstants.ArgTo, target)));
        return new ParameterLoader(_context, target, reorder);
    }

    /// <summary>Where a primitive writing the gradient in <paramref name="desc"/> should write, and how it reaches the parameter's gradient.</summary>
    public GradientAccumulator CreateAccumulator(in MemoryDesc desc)
    {
        if (MemoryDescs.Equal(desc, _gradient.Desc))
        {
            return Own(new GradientAccumulator(_context, _parameter, DnnlMemory.Unbound(_context, desc), _gradient, summingReorder: null));
        }
        var scratch = DnnlMemory.Allocate(_context, desc);
        // A reorder with a sum post-op adds straight into the pinned gradient array: no canonical-layout copy.
        using var sum = PostOpAttribute.Sum();
        var reorder = Own(DnnlPrimitive.Reorder(_context, desc, _gradient.Desc, $"{_parameter.Name} gradient to canonical layout", sum.Handle)
            .Bind((DnnlConstants.ArgFrom, scratch), (DnnlConstants.ArgTo, _gradient)));
        return Own(new GradientAccumulator(_context, _parameter, scratch, _gradient, reorder));
    }

    /// <summary>The address of a pinned array's first element; stable for the array's lifetime.</summary>
    private static nint AddressOf(float[] pinned) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(pinned));

    private T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
    }
}
