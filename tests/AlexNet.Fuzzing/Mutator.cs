using AlexNet.Randomness;

namespace AlexNet.Fuzzing;

/// <summary>
/// Byte-level mutations of the kinds that break parsers: flipped bits, bytes set to boundary values, 16/32/64-bit
/// little- and big-endian integers overwritten with lengths that overflow, insertions, deletions, duplicated and
/// swapped blocks, truncation. One to four of them per mutant, drawn from a <see cref="RandomStream"/> of the
/// mutant's (seed, format, index), so any mutant can be made again from its numbers.
/// </summary>
internal static class Mutator
{
    private static readonly long[] Interesting =
        [0, 1, -1, 2, 7, 8, 16, 127, 128, 255, 256, 1023, 4096, 32767, 32768, 65535, 65536, int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, 1L << 40];

    public static byte[] Mutate(byte[] seed, RandomStream random)
    {
        var bytes = new List<byte>(seed);
        var count = 1 + random.NextInt(4);
        for (var m = 0; m < count; m++) Apply(bytes, random);
        return bytes.ToArray();
    }

    private static void Apply(List<byte> bytes, RandomStream random)
    {
        if (bytes.Count == 0)
        {
            bytes.Add((byte)random.NextInt(256));
            return;
        }
        // Parsers look hardest at the start of a file: half of the positions fall in its first 64 bytes.
        int Position() => random.NextInt(2) == 0 ? random.NextInt(Math.Min(64, bytes.Count)) : random.NextInt(bytes.Count);
        switch (random.NextInt(9))
        {
            case 0:
                {
                    var at = Position();
                    bytes[at] ^= (byte)(1 << random.NextInt(8));
                    break;
                }
            case 1:
                bytes[Position()] = (byte)(random.NextInt(3) switch { 0 => 0, 1 => 0xFF, _ => random.NextInt(256) });
                break;
            case 2:
            case 3:
                {
                    var width = 1 << (1 + random.NextInt(3)); // 2, 4 or 8 bytes
                    var at = Position();
                    var value = Interesting[random.NextInt(Interesting.Length)] + (random.NextInt(4) == 0 ? random.NextInt(5) - 2 : 0);
                    var bigEndian = random.NextInt(2) == 0;
                    for (var i = 0; i < width && at + i < bytes.Count; i++)
                    {
                        var shift = 8 * (bigEndian ? width - 1 - i : i);
                        bytes[at + i] = (byte)(value >> shift);
                    }
                    break;
                }
            case 4:
                {
                    var at = Position();
                    var length = 1 + random.NextInt(16);
                    bytes.InsertRange(at, Enumerable.Range(0, length).Select(_ => (byte)random.NextInt(256)));
                    break;
                }
            case 5:
                {
                    var at = Position();
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.NextInt(32)));
                    break;
                }
            case 6:
                {
                    var from = random.NextInt(bytes.Count);
                    var length = Math.Min(bytes.Count - from, 1 + random.NextInt(256));
                    var block = bytes.GetRange(from, length);
                    bytes.InsertRange(Position(), block);
                    break;
                }
            case 7:
                {
                    var a = random.NextInt(bytes.Count);
                    var b = random.NextInt(bytes.Count);
                    var length = Math.Min(Math.Min(bytes.Count - a, bytes.Count - b), 1 + random.NextInt(64));
                    var first = bytes.GetRange(a, length);
                    var second = bytes.GetRange(b, length);
                    for (var i = 0; i < length; i++) bytes[b + i] = first[i];
                    for (var i = 0; i < length; i++) bytes[a + i] = second[i];
                    break;
                }
            default:
                {
                    var keep = random.NextInt(bytes.Count);
                    bytes.RemoveRange(keep, bytes.Count - keep);
                    break;
                }
        }
    }
}
