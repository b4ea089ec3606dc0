namespace AlexNet.Data.Sources;

/// <summary>
/// Formats lists of culprits for error messages: every item up to a cap, then how many more there are, so a
/// message about a million bad lines stays readable while still saying how big the problem is.
/// </summary>
internal static class Listing
{
    /// <summary>How many items a message prints before "… and N more".</summary>
    public const int Cap = 50;

    /// <summary>One item per indented line, each preceded by a newline.</summary>
    public static string Lines(IEnumerable<string> items, int cap = Cap)
    {
        var all = items as IReadOnlyCollection<string> ?? items.ToList();
        var shown = all.Take(cap).Select(item => "\n  " + item);
        var more = all.Count > cap ? $"\n  … and {all.Count - cap} more" : "";
        return string.Concat(shown) + more;
    }

    /// <summary>Items quoted and separated by commas on one line.</summary>
    public static string Inline(IEnumerable<string> items, int cap = Cap)
    {
        var all = items as IReadOnlyCollection<string> ?? items.ToList();
        var shown = string.Join(", ", all.Take(cap).Select(item => $"'{item}'"));
        return all.Count > cap ? $"{shown} … and {all.Count - cap} more" : shown;
    }
}
