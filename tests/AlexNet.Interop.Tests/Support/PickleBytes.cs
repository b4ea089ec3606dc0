using System.Text;

namespace AlexNet.Interop.Tests.Support;

/// <summary>Hand-written pickles: ASCII text for opcodes and names, ints for single bytes, byte arrays as they are.</summary>
public static class PickleBytes
{
    public static byte[] Of(params object[] parts) =>
        parts.SelectMany(p => p switch
        {
            string s => Encoding.ASCII.GetBytes(s),
            int i => [(byte)i],
            byte[] a => a,
            _ => throw new ArgumentException($"Cannot encode {p}."),
        }).ToArray();

    /// <summary>BINUNICODE: opcode, 4-byte little-endian length, UTF-8 text.</summary>
    public static byte[] Text(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [0x58, .. BitConverter.GetBytes(bytes.Length), .. bytes];
    }
}
