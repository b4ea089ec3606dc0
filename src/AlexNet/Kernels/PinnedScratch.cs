using System.Buffers;
using System.Runtime.InteropServices;

namespace AlexNet.Kernels;

/// <summary>A convolution task's padded source and result grid, rented together, pinned and 64-byte aligned.</summary>
internal readonly unsafe ref struct PinnedScratch
{
    private readonly float[] _source, _grid;
    private readonly GCHandle _sourceHandle, _gridHandle;

    public PinnedScratch(int sourceLength, int gridLength)
    {
        _source = ArrayPool<float>.Shared.Rent(sourceLength + 16);
        _grid = ArrayPool<float>.Shared.Rent(gridLength + 16);
        _sourceHandle = GCHandle.Alloc(_source, GCHandleType.Pinned);
        _gridHandle = GCHandle.Alloc(_grid, GCHandleType.Pinned);
        Source = GemmPacking.Align64((float*)_sourceHandle.AddrOfPinnedObject());
        Grid = GemmPacking.Align64((float*)_gridHandle.AddrOfPinnedObject());
    }

    public float* Source { get; }

    public float* Grid { get; }

    public void Dispose()
    {
        _sourceHandle.Free();
        _gridHandle.Free();
        ArrayPool<float>.Shared.Return(_source);
        ArrayPool<float>.Shared.Return(_grid);
    }
}
