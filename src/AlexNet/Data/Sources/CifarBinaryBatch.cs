namespace AlexNet.Data.Sources;

/// <summary>
/// A batch of CIFAR's binary version: records of one label byte (CIFAR-10) or a coarse and a fine label byte
/// (CIFAR-100), then the image's 3,072 bytes.
/// </summary>
internal static class CifarBinaryBatch
{
    public static CifarBatch Read(byte[] bytes, string source, bool hundred, CifarLabels labels, List<string> problems)
    {
        var labelBytes = hundred ? 2 : 1;
        var recordLength = labelBytes + CifarBatch.ImageBytes;
        if (bytes.Length == 0 || bytes.Length % recordLength != 0)
        {
            problems.Add($"'{source}' is {bytes.Length} bytes, not a positive multiple of the {recordLength}-byte record");
            return new CifarBatch(source, bytes, labelBytes, recordLength, []);
        }
        var count = bytes.Length / recordLength;
        var labelOffset = hundred && labels == CifarLabels.Fine ? 1 : 0;
        var values = new int[count];
        for (var r = 0; r < count; r++) values[r] = bytes[r * recordLength + labelOffset];
        return new CifarBatch(source, bytes, labelBytes, recordLength, values);
    }

    /// <summary>Class names from a text file of one name per line (blank lines skipped), checked for repeats.</summary>
    public static string[] ReadNames(byte[] bytes, string source)
    {
        var names = System.Text.Encoding.UTF8.GetString(bytes).Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToArray();
        if (names.Length == 0) throw new AlexNetException($"CIFAR class name file '{source}' holds no names.");
        var repeated = names.GroupBy(name => name, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key).ToList();
        if (repeated.Count > 0) throw new AlexNetException($"CIFAR class name file '{source}' repeats {Listing.Inline(repeated)}.");
        return names;
    }
}
