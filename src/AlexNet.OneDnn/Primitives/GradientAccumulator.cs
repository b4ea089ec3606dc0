using System.Numerics.Tensors;
using AlexNet.Tensors;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Where a primitive writes a parameter's gradient, and how that reaches <see cref="Parameter.Gradient"/>, which
/// accumulates as the managed layers' does. In the canonical layout the primitive writes the pinned gradient array
/// directly while it is known to be zero (the usual step: gradients cleared, one backward), and otherwise writes a
/// scratch buffer, allocated on first need, that is then added. In another layout it always writes scratch, which a
/// reorder with a sum post-op converts and adds in one pass.
/// </summary>
internal sealed class GradientAccumulator : IDisposable
{
    private readonly DnnlContext _context;
    private readonly Parameter _parameter;
    private readonly DnnlMemory _canonicalGradient;
    private readonly DnnlPrimitive? _summingReorder;
    private DnnlMemory? _scratch;
    private bool _wroteScratch;

    /// <param name="memory">Scratch in the primitive's layout (with <paramref name="summingReorder"/>), or an unbound canonical memory.</param>
    /// <param name="canonicalGradient">The pinned gradient array, wrapped in its canonical layout.</param>
    public GradientAccumulator(DnnlContext context, Parameter parameter, DnnlMemory memory, DnnlMemory canonicalGradient, DnnlPrimitive? summingReorder)
    {
        (_context, _parameter, Memory, _canonicalGradient, _summingReorder) = (context, parameter, memory, canonicalGradient, summingReorder);
    }

    /// <summary>The memory to bind as the primitive's diff weights or diff bias.</summary>
    public DnnlMemory Memory { get; }

    /// <summary>Points <see cref="Memory"/> at the gradient itself or at scratch; call before the primitive runs.</summary>
    public void Prepare()
    {
        if (_summingReorder is not null) return;
        _wroteScratch = !_parameter.GradientIsZero;
        if (!_wroteScratch)
        {
            Memory.Bind(_canonicalGradient.Data);
            return;
        }
        _scratch ??= DnnlMemory.Allocate(_context, Memory.Desc);
        Memory.Bind(_scratch.Data);
    }

    /// <summary>Adds what the primitive wrote to the gradient, unless it wrote the gradient itself; call after it ran.</summary>
    public void Accumulate()
    {
        if (_summingReorder is not null)
        {
            _summingReorder.Execute(_context);
        }
        else if (_wroteScratch)
        {
            var gradient = _parameter.Gradient.Data;
            TensorPrimitives.Add(_scratch!.Floats[..gradient.Length], gradient, gradient);
        }
        _parameter.NoteGradientWritten();
    }

    public void Dispose()
    {
        _scratch?.Dispose();
        Memory.Dispose();
    }
}
