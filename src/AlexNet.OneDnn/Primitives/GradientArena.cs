using System.Runtime.InteropServices;
using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// Memory for the activation gradients of a training network's backward pass. Each lives briefly: a step's
/// temporaries until its own backward ends, its input gradient until the step before it has read that. Steps are
/// prepared in backward order (<see cref="BeginStep"/> before each) and rent unbound memories from here; once all
/// are prepared, <see cref="Commit"/> places every rental in one buffer so that rentals whose lifetimes overlap
/// never overlap in memory, and binds them. The pass then holds about two layers' gradients instead of every
/// layer's. Forward activations never come from here: backward reads them.
/// </summary>
internal sealed unsafe class GradientArena(DnnlContext context) : IDisposable
{
    /// <summary>One rented region: its size, the steps that use it, and the memories that show it.</summary>
    private sealed class Rental(long bytes, int step)
    {
        public long Bytes { get; } = bytes;
        public int FirstStep { get; } = step;
        public int LastStep { get; set; } = step;
        public List<DnnlMemory> Memories { get; } = [];
        public long Offset { get; set; } = -1;

        public bool Overlaps(Rental other) => FirstStep <= other.LastStep && other.FirstStep <= LastStep;
    }

    private const long Alignment = 64;
    private readonly List<Rental> _rentals = [];
    private readonly Dictionary<DnnlMemory, Rental> _rentalOf = new(ReferenceEqualityComparer.Instance);
    private nint _buffer;
    private int _step;

    /// <summary>Bytes of the committed buffer: the backward pass's activation-gradient memory.</summary>
    public long Bytes { get; private set; }

    /// <summary>Starts the next step in backward order; what earlier steps rented without keeping is free again.</summary>
    public void BeginStep() => _step++;

    /// <summary>Memory in <paramref name="desc"/> that the current step may use until its backward ends; bound at <see cref="Commit"/>.</summary>
    public DnnlMemory Rent(in MemoryDesc desc)
    {
        EnsureOpen();
        var bytes = (Math.Max(MemoryDescs.Bytes(desc), sizeof(float)) + Alignment - 1) / Alignment * Alignment;
        var rental = new Rental(bytes, _step);
        _rentals.Add(rental);
        return Show(rental, desc);
    }

    /// <summary>Another descriptor over rented memory (same bytes, e.g. a flattened shape); it shares the rental's lifetime.</summary>
    public DnnlMemory Alias(in MemoryDesc desc, DnnlMemory rented)
    {
        EnsureOpen();
        if (!_rentalOf.TryGetValue(rented, out var rental)) throw new InvalidOperationException("Only memory rented from this arena can be aliased.");
        if (MemoryDescs.Bytes(desc) > rental.Bytes) throw new InvalidOperationException("An alias cannot be larger than the memory it shows.");
        return Show(rental, desc);
    }

    /// <summary>The step prepared next reads <paramref name="memory"/> (the current step's input gradient): it stays reserved through that step.</summary>
    public void KeepForNextStep(DnnlMemory memory)
    {
        if (_rentalOf.TryGetValue(memory, out var rental)) rental.LastStep = Math.Max(rental.LastStep, _step + 1);
    }

    /// <summary>
    /// Places the rentals, largest first, each at the lowest offset clear of every placed rental that is alive at
    /// the same time; allocates the buffer and binds every memory.
    /// </summary>
    public void Commit()
    {
        EnsureOpen();
        var placed = new List<Rental>();
        foreach (var rental in _rentals.OrderByDescending(r => r.Bytes).ThenBy(r => r.FirstStep))
        {
            var rivals = placed.Where(rental.Overlaps).OrderBy(r => r.Offset).ToList();
            var offset = 0L;
            foreach (var rival in rivals)
            {
                if (offset + rental.Bytes <= rival.Offset) break;
                offset = Math.Max(offset, rival.Offset + rival.Bytes);
            }
            rental.Offset = offset;
            placed.Add(rental);
        }
        Bytes = _rentals.Count == 0 ? 0 : _rentals.Max(r => r.Offset + r.Bytes);
        _buffer = (nint)NativeMemory.AlignedAlloc((nuint)Math.Max(Bytes, Alignment), (nuint)Alignment);
        foreach (var rental in _rentals)
        {
            foreach (var memory in rental.Memories) memory.Bind(_buffer + (nint)rental.Offset);
        }
    }

    private DnnlMemory Show(Rental rental, in MemoryDesc desc)
    {
        var memory = DnnlMemory.Unbound(context, desc);
        rental.Memories.Add(memory);
        _rentalOf[memory] = rental;
        return memory;
    }

    private void EnsureOpen()
    {
        if (_buffer != 0) throw new InvalidOperationException("The gradient arena is committed already.");
    }

    public void Dispose()
    {
        foreach (var memory in _rentalOf.Keys) memory.Dispose();
        _rentalOf.Clear();
        if (_buffer != 0) NativeMemory.AlignedFree((void*)_buffer);
        _buffer = 0;
    }
}
