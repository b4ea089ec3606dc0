namespace AlexNet.Distributed;

/// <summary>
/// The message every rank of a data-parallel run stops with when some failed: which ranks, and each one's cause
/// in its own words. Ranks that failed the same way (a NaN loss reaches every rank at once) are named together.
/// </summary>
public static class RankFailures
{
    /// <param name="causes">One entry per rank, by rank: its failure's message, or null where that rank did not fail.</param>
    public static string Describe(IReadOnlyList<string?> causes)
    {
        var size = causes.Count;
        var groups = causes
            .Select((cause, rank) => (Cause: cause, Rank: rank))
            .Where(c => c.Cause is not null)
            .GroupBy(c => c.Cause!)
            .Select(g => $"{Ranks(g.Select(c => c.Rank).ToList())} of {size} failed: {g.Key}")
            .ToList();
        if (groups.Count == 0) throw new ArgumentException("No rank failed.", nameof(causes));
        return $"{string.Join("; ", groups)} (all {size} ranks stopped)";
    }

    private static string Ranks(IReadOnlyList<int> ranks) => ranks.Count switch
    {
        1 => $"rank {ranks[0]}",
        _ => $"ranks {string.Join(", ", ranks.Take(ranks.Count - 1))} and {ranks[^1]}",
    };
}
