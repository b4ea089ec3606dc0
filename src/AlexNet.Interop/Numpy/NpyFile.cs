using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;
using AlexNet.Pickle;

namespace AlexNet.Interop.Numpy;

/// <summary>
/// Reads a .npy file (format versions 1 to 3): the magic <c>\x93NUMPY</c>, a version, the header length and a Python
/// dict literal with 'descr', 'fortran_order' and 'shape'. An object array (<c>np.save</c> of a dict, as TensorFlow
/// ports of Caffe weights are stored) is a pickle, read by the <see cref="RestrictedUnpickler"/> with
/// <see cref="NpyPickleRules"/>; other arrays are only described, since no importer wants a bare array.
/// </summary>
public static partial class NpyFile
{
    public static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.Length >= 6 && bytes[0] == 0x93 && bytes[1..6].SequenceEqual("NUMPY"u8);

    /// <summary>The element of a 0-d object array (a pickled dict, say), or for any other array its description.</summary>
    public static object? Read(byte[] bytes, string source)
    {
        if (!HasMagic(bytes)) throw new AlexNetException($"'{source}' is not a .npy file (no \\x93NUMPY magic).");
        if (bytes.Length < 10) throw Truncated(source);
        var major = bytes[6];
        var (headerLength, headerStart) = major switch
        {
            1 => ((int)BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10),
            2 or 3 when bytes.Length >= 12 => ((int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), int.MaxValue), 12),
            2 or 3 => throw Truncated(source),
            _ => throw new AlexNetException($"'{source}' is a .npy file of format version {major}, which the importer does not know (1 to 3)."),
        };
        if (headerLength > bytes.Length - headerStart) throw Truncated(source);
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !shape.Success) throw new AlexNetException($"'{source}' has a .npy header without 'descr' or 'shape': {header.Trim()}");
        var dimensions = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) ? size
                : throw new AlexNetException($"'{source}' has a .npy header whose shape ({shape.Groups[1].Value}) is not a tuple of sizes."))
            .ToArray();
        var data = bytes.AsSpan(headerStart + headerLength);
        if (descr.Groups[1].Value != "|O")
        {
            return $"a numpy array ({string.Join(", ", dimensions)}) of {descr.Groups[1].Value}";
        }
        var value = new RestrictedUnpickler(data.ToArray(), source, new NpyPickleRules(source)).Load();
        return dimensions.Length == 0 && value is NpyObject { Objects: [var item] } ? item : value;
    }

    private static AlexNetException Truncated(string source) => new($"'{source}' is truncated: its .npy header does not fit the file.");

    [GeneratedRegex(@"'descr':\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
