using System.Buffers.Binary;

namespace AlexNet.Pickle;

/// <summary>
/// A numpy array read from a pickle as data: its shape, dtype, element order and raw bytes. Built by
/// <see cref="NumpyPickleRules"/> from <c>_reconstruct</c> + BUILD (protocols 0–4) or <c>_frombuffer</c> (protocol 5).
/// </summary>
public sealed class NumpyArray
{
    internal NumpyArray() { }

    public int[] Shape { get; private set; } = [];

    public NumpyDtype? Dtype { get; private set; }

    public bool FortranOrder { get; private set; }

    public byte[] Data { get; private set; } = [];

    /// <summary>True once BUILD (or _frombuffer) gave the array its contents.</summary>
    public bool Filled { get; private set; }

    public long ElementCount => Shape.Aggregate(1L, (product, d) => product * d);

    /// <summary>Sets the contents after checking that the bytes are exactly what shape and dtype need; the reason otherwise.</summary>
    internal string? Fill(int[] shape, NumpyDtype dtype, bool fortranOrder, byte[] data)
    {
        if (shape.Any(d => d < 0)) return $"an array of negative size ({string.Join("×", shape)})";
        long count = 1;
        foreach (var d in shape)
        {
            count *= d;
            if (count > int.MaxValue) return $"an array of {string.Join("×", shape)} elements, too many";
        }
        if (count * dtype.ItemSize != data.LongLength)
        {
            return $"an array of shape ({string.Join(", ", shape)}) and dtype {dtype} with {data.Length} bytes of data instead of {count * dtype.ItemSize}";
        }
        (Shape, Dtype, FortranOrder, Data, Filled) = (shape, dtype, fortranOrder, data, true);
        return null;
    }

    /// <summary>Element <paramref name="index"/> (in storage order) as an integer; null for float arrays.</summary>
    public long? Integer(int index)
    {
        var dtype = Dtype!;
        var bytes = Data.AsSpan(index * dtype.ItemSize, dtype.ItemSize);
        var big = dtype.ByteOrder == '>';
        return (dtype.Kind, dtype.ItemSize) switch
        {
            ('b' or 'u', 1) => bytes[0],
            ('i', 1) => (sbyte)bytes[0],
            ('u', 2) => big ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            ('i', 2) => big ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes),
            ('u', 4) => big ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            ('i', 4) => big ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes),
            ('i', 8) => big ? BinaryPrimitives.ReadInt64BigEndian(bytes) : BinaryPrimitives.ReadInt64LittleEndian(bytes),
            ('u', 8) => (long)Math.Min(big ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes), long.MaxValue),
            _ => null,
        };
    }

    public override string ToString() => $"numpy array ({string.Join(", ", Shape)}) {Dtype}";
}
