using System.Globalization;

namespace AlexNet.Benchmarks;

/// <summary>The process's peak resident memory, as Linux reports it.</summary>
public static class ProcessMemory
{
    /// <summary>
    /// VmHWM from /proc/self/status in bytes: the most physical memory the process has held at once, the figure
    /// that Python's <c>resource.getrusage(...).ru_maxrss</c> gives for PyTorch. Null where there is no procfs.
    /// </summary>
    public static long? PeakResidentBytes(string statusFile = "/proc/self/status")
    {
        if (!File.Exists(statusFile)) return null;
        foreach (var line in File.ReadLines(statusFile))
        {
            if (TryParseKilobytes(line, "VmHWM:", out var kilobytes)) return kilobytes * 1024;
        }
        return null;
    }

    /// <summary>Parses a line such as <c>VmHWM:	  123456 kB</c>.</summary>
    internal static bool TryParseKilobytes(string line, string key, out long kilobytes)
    {
        kilobytes = 0;
        if (!line.StartsWith(key, StringComparison.Ordinal)) return false;
        var fields = line[key.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length == 2 && fields[1] == "kB" && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out kilobytes);
    }
}
