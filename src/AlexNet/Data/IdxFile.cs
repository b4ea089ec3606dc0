using System.Buffers.Binary;
using System.IO.Compression;

namespace AlexNet.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST (LeCun): two zero bytes, a type code (0x08 = unsigned byte),
/// the number of dimensions, each dimension as a big-endian int32, then the values. Files may be gzipped
/// (recognized by their magic bytes, whatever the name).
/// </summary>
public sealed record IdxFile(int[] Dimensions, byte[] Values)
{
    private const byte UnsignedByteType = 0x08;

    public static IdxFile Read(string path)
    {
        var bytes = UserFiles.Run($"read IDX file '{path}'", () => File.ReadAllBytes(path));
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            try
            {
                using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
                using var plain = new MemoryStream();
                gzip.CopyTo(plain);
                bytes = plain.ToArray();
            }
            catch (InvalidDataException e)
            {
                throw new AlexNetException($"IDX file '{path}' is not a valid gzip stream: {e.Message}", e);
            }
        }
        return Parse(bytes, path);
    }

    public static IdxFile Parse(byte[] bytes, string path)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
        {
            throw new AlexNetException($"'{path}' is not an IDX file: it does not start with the IDX magic number.");
        }
        if (bytes[2] != UnsignedByteType)
        {
            throw new AlexNetException($"IDX file '{path}' holds type 0x{bytes[2]:x2}; only unsigned bytes (0x08) are supported.");
        }
        var rank = bytes[3];
        var headerLength = 4 + 4 * rank;
        if (rank == 0 || bytes.Length < headerLength)
        {
            throw new AlexNetException($"IDX file '{path}' has a truncated header ({bytes.Length} bytes for {rank} dimensions).");
        }
        var dimensions = new int[rank];
        long count = 1;
        for (var i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dimensions[i] <= 0) throw new AlexNetException($"IDX file '{path}' has a non-positive dimension {dimensions[i]}.");
            count *= dimensions[i];
        }
        if (bytes.Length - headerLength != count)
        {
            throw new AlexNetException(
                $"IDX file '{path}' is truncated or padded: its header ({string.Join("×", dimensions)}) needs {count} values, the file has {bytes.Length - headerLength}.");
        }
        return new IdxFile(dimensions, bytes[headerLength..]);
    }

    /// <summary>Writes an uncompressed IDX file of unsigned bytes (for tests and conversions).</summary>
    public static void Write(string path, int[] dimensions, byte[] values)
    {
        var bytes = new byte[4 + 4 * dimensions.Length + values.Length];
        bytes[2] = UnsignedByteType;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        values.CopyTo(bytes, 4 + 4 * dimensions.Length);
        File.WriteAllBytes(path, bytes);
    }
}
