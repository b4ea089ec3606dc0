using System.Text;

namespace AlexNet.Pickle;

/// <summary>
/// A numpy dtype as a pickle describes it: <c>numpy.dtype("u1", 0, 1)</c> then BUILD with a state whose second
/// item is the byte order (<c>'|'</c> for single bytes, <c>'&lt;'</c> little, <c>'&gt;'</c> big endian). Only plain
/// numbers are kept: kinds <c>b</c> (bool), <c>i</c>, <c>u</c> and <c>f</c>.
/// </summary>
public sealed class NumpyDtype
{
    private NumpyDtype(char kind, int itemSize, char byteOrder) => (Kind, ItemSize, ByteOrder) = (kind, itemSize, byteOrder);

    /// <summary>numpy's kind letter: b, i, u or f.</summary>
    public char Kind { get; }

    public int ItemSize { get; }

    /// <summary>'&lt;', '&gt;' or '|' (not applicable, single bytes).</summary>
    public char ByteOrder { get; private set; }

    /// <summary>The dtype a type string such as "u1", "&lt;i8" or "f4" names, or null when it is not a plain number type.</summary>
    public static NumpyDtype? Parse(string typeString)
    {
        var order = '<';
        if (typeString.Length > 0 && typeString[0] is '<' or '>' or '|' or '=')
        {
            order = typeString[0] == '=' ? '<' : typeString[0];
            typeString = typeString[1..];
        }
        if (typeString.Length < 2 || typeString[0] is not ('b' or 'i' or 'u' or 'f') || !int.TryParse(typeString[1..], out var size)) return null;
        var valid = typeString[0] switch
        {
            'b' => size == 1,
            'f' => size is 2 or 4 or 8,
            _ => size is 1 or 2 or 4 or 8,
        };
        return valid ? new NumpyDtype(typeString[0], size, size == 1 ? '|' : order) : null;
    }

    /// <summary>BUILD's state tuple <c>(version, byteorder, …)</c>.</summary>
    internal bool SetState(object? state)
    {
        if (state is not object?[] { Length: >= 2 } tuple) return false;
        var order = tuple[1] switch
        {
            string text => text,
            byte[] bytes => Encoding.Latin1.GetString(bytes),
            _ => null,
        };
        if (order is not ("<" or ">" or "|" or "=")) return false;
        if (ItemSize > 1 && order == "|") return false;
        ByteOrder = order == "=" ? '<' : order[0];
        if (ItemSize == 1) ByteOrder = '|';
        return true;
    }

    public override string ToString() => $"{ByteOrder}{Kind}{ItemSize}";
}
