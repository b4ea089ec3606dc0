namespace AlexNet.Interop.Numpy;

/// <summary>
/// A numpy dtype rebuilt from a pickle: <c>numpy.dtype(name, align, copy)</c> gives the kind and size (<c>f4</c>,
/// <c>O8</c>), its BUILD state <c>(version, byte order, …)</c> the byte order.
/// </summary>
public sealed class NumpyDtype(string name)
{
    public string Name { get; } = name;

    /// <summary><c>&lt;</c>, <c>&gt;</c>, <c>|</c> (not applicable) or <c>=</c> (native, little-endian here).</summary>
    public string ByteOrder { get; internal set; } = "|";

    /// <summary>The type string numpy's .npy headers use: <c>&lt;f4</c>, <c>|O</c>.</summary>
    public string TypeString => Name.StartsWith('O') ? "|O" : (ByteOrder == "=" ? "<" : ByteOrder) + Name;
}
