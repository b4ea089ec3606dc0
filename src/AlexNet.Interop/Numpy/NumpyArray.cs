namespace AlexNet.Interop.Numpy;

/// <summary>
/// A numpy array as plain data, rebuilt from a pickle: its shape, element type and raw little-endian bytes in C
/// order, or for an object array (dtype 'O') its elements. Nothing of numpy is ever run.
/// </summary>
public sealed class NumpyArray
{
    public int[] Shape { get; internal set; } = [];

    /// <summary>numpy's type string, e.g. <c>&lt;f4</c>, <c>&lt;f8</c>, <c>|O</c>.</summary>
    public string TypeString { get; internal set; } = "";

    public bool FortranOrder { get; internal set; }

    public byte[]? Bytes { get; internal set; }

    public IReadOnlyList<object?>? Objects { get; internal set; }

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>The values as float32 (float32 read as they are, float64 rounded), or null with the reason.</summary>
    public float[]? ToFloats(out string? problem)
    {
        problem = null;
        if (FortranOrder) problem = "is stored in Fortran order";
        else if (Bytes is null) problem = $"holds {TypeString} objects, not numbers";
        else if (TypeString is not ("<f4" or "<f8")) problem = $"has element type '{TypeString}'; little-endian float32 or float64 is needed";
        else if (Bytes.Length != ElementCount * (TypeString == "<f4" ? 4 : 8)) problem = $"has {Bytes.Length} bytes for {ElementCount} {TypeString} values";
        if (problem is not null) return null;
        var values = new float[ElementCount];
        if (TypeString == "<f4")
        {
            Buffer.BlockCopy(Bytes!, 0, values, 0, Bytes!.Length);
        }
        else
        {
            for (var i = 0; i < values.Length; i++) values[i] = (float)BitConverter.ToDouble(Bytes!, i * 8);
        }
        return values;
    }

    public override string ToString() => $"array{TypeString}({string.Join(", ", Shape)})";
}
