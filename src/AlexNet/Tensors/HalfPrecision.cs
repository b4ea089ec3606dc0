using System.Buffers.Binary;

namespace AlexNet.Tensors;

/// <summary>Little-endian float16 and bfloat16 values widened to float32 (exactly: both are subsets of it).</summary>
public static class HalfPrecision
{
    public static float ReadFloat16(ReadOnlySpan<byte> bytes) => (float)BinaryPrimitives.ReadHalfLittleEndian(bytes);

    /// <summary>bfloat16 is the upper half of a float32's bits.</summary>
    public static float ReadBFloat16(ReadOnlySpan<byte> bytes) =>
        BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes) << 16);
}
