using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace AlexNet.Inference.Features;

/// <summary>
/// Streams a float32 matrix (rows × dimension) into a NumPy .npy file, format version 1.0: the magic
/// <c>\x93NUMPY</c>, version 1.0, a little-endian uint16 header length, a Python dict literal
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (rows, dimension), }</c> padded with spaces to a
/// multiple of 64 bytes and ending in a newline, then the values in C order. <c>numpy.load</c> reads it.
/// </summary>
internal sealed class NpyFeatureWriter : IFeatureWriter
{
    private readonly PendingFile _file;
    private readonly int _rows, _dimension;
    private long _written;

    public NpyFeatureWriter(string path, int rows, int dimension)
    {
        (_rows, _dimension) = (rows, dimension);
        _file = new PendingFile(path);
        _file.Stream.Write(Header(rows, dimension));
    }

    public static byte[] Header(int rows, int dimension)
    {
        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {dimension}), }}");
        const int prefix = 10; // magic (6), version (2), header length (2)
        var length = (prefix + dict.Length + 1 + 63) / 64 * 64 - prefix;
        var header = new byte[prefix + length];
        header[0] = 0x93;
        "NUMPY"u8.CopyTo(header.AsSpan(1));
        header[6] = 1;
        header[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), checked((ushort)length));
        var text = Encoding.ASCII.GetBytes(dict.PadRight(length - 1) + "\n");
        text.CopyTo(header, prefix);
        return header;
    }

    public void Write(ReadOnlySpan<float> values, int rows)
    {
        if (values.Length != rows * _dimension) throw new ArgumentException($"{values.Length} values are not {rows} rows of {_dimension}.");
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("The .npy writer stores little-endian floats.");
        _file.Stream.Write(MemoryMarshal.AsBytes(values));
        _written += rows;
    }

    public void Commit()
    {
        if (_written != _rows) throw new InvalidOperationException($"{_written} rows written, {_rows} announced in the header.");
        _file.Commit();
    }

    public void Dispose() => _file.Dispose();
}
