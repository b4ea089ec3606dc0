using System.Text;

namespace AlexNet.Data.Archives;

/// <summary>
/// The fields of a 512-byte tar header (POSIX.1-1988 ustar, with GNU's and pax's additions), parsed strictly: a number
/// field holds octal digits, optionally led by spaces and ended by NUL or space (or GNU's base-256 form, high bit set);
/// anything else is a corrupt header, never a number guessed from garbage. Offsets are POSIX's.
/// </summary>
internal static class TarFields
{
    public const int BlockSize = 512;

    public static ReadOnlySpan<byte> Name(ReadOnlySpan<byte> header) => Terminated(header.Slice(0, 100));

    public static ReadOnlySpan<byte> Size(ReadOnlySpan<byte> header) => header.Slice(124, 12);

    public static byte TypeFlag(ReadOnlySpan<byte> header) => header[156];

    /// <summary>POSIX ustar ("ustar\0") puts the leading part of long names in a prefix field; GNU's magic ("ustar  ") uses that space for other fields.</summary>
    public static ReadOnlySpan<byte> Prefix(ReadOnlySpan<byte> header) =>
        header.Slice(257, 6).SequenceEqual("ustar\0"u8) ? Terminated(header.Slice(345, 155)) : [];

    public static bool IsZero(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>
    /// The header checksum: the sum of all 512 bytes with the checksum field counted as spaces. Old tars summed signed
    /// bytes, so either sum is accepted (as GNU tar and Python do).
    /// </summary>
    public static bool ChecksumMatches(ReadOnlySpan<byte> header)
    {
        if (!TryNumber(header.Slice(148, 8), out var stored)) return false;
        long unsigned = 0, signed = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        return stored == unsigned || stored == signed;
    }

    /// <summary>A number field: octal text, or GNU's base-256 (first byte 0x80, then big-endian; negative values refused).</summary>
    public static bool TryNumber(ReadOnlySpan<byte> field, out long value)
    {
        value = 0;
        if (field.Length > 0 && field[0] == 0x80)
        {
            foreach (var b in field[1..])
            {
                if (value > (long.MaxValue >> 8)) return false;
                value = (value << 8) | b;
            }
            return true;
        }
        var i = 0;
        while (i < field.Length && field[i] == ' ') i++;
        for (; i < field.Length && field[i] is >= (byte)'0' and <= (byte)'7'; i++)
        {
            if (value > (long.MaxValue >> 3)) return false;
            value = (value << 3) | (uint)(field[i] - '0');
        }
        // What follows the digits may only be terminators; an empty field (all NULs) is zero, as Python reads it.
        return field[i..].IndexOfAnyExcept((byte)0, (byte)' ') < 0;
    }

    /// <summary>Bytes up to the first NUL, as UTF-8 (what pax and current tars write; plain ASCII for CIFAR's names).</summary>
    public static string Text(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(Terminated(bytes));

    private static ReadOnlySpan<byte> Terminated(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return end < 0 ? bytes : bytes[..end];
    }

    /// <summary>
    /// The records of a pax extended header, "LENGTH KEY=VALUE\n" each, LENGTH counting the whole record in bytes.
    /// Throws <see cref="InvalidDataException"/> for a record whose length, separator or newline is wrong.
    /// </summary>
    public static Dictionary<string, string> PaxRecords(ReadOnlySpan<byte> data)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        while (data.Length > 0)
        {
            // Python pads a pax header with NULs to its block; nothing but NULs may follow the last record.
            if (data[0] == 0 && IsZero(data)) break;
            var space = data.IndexOf((byte)' ');
            if (space is <= 0 or > 10) throw new InvalidDataException("a pax record does not start with its length");
            long length = 0;
            foreach (var digit in data[..space])
            {
                if (digit is < (byte)'0' or > (byte)'9') throw new InvalidDataException("a pax record's length is not a decimal number");
                length = length * 10 + (digit - '0');
            }
            if (length <= space + 2 || length > data.Length) throw new InvalidDataException($"a pax record's length {length} does not fit its header");
            var record = data[(space + 1)..(int)length];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0 || record[^1] != (byte)'\n') throw new InvalidDataException("a pax record is not KEY=VALUE and a newline");
            records[Encoding.UTF8.GetString(record[..equals])] = Encoding.UTF8.GetString(record[(equals + 1)..^1]);
            data = data[(int)length..];
        }
        return records;
    }
}
