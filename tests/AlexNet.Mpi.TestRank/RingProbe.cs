namespace AlexNet.Mpi.TestRank;

/// <summary>
/// Sums buffers of awkward lengths on the ring (shorter than the number of ranks, not a multiple of it or of the
/// segment, several segments per part) and checks every element on this rank against the sum it expects. Values are
/// small integers first, whose sums are exact in any order; then seeded fractions, whose sum is compared with the
/// double-precision sum within float rounding, and whose bits are reported as a checksum so that the test can see
/// that every rank ended with the same bits.
/// </summary>
internal static class RingProbe
{
    private static readonly (int Count, int Segment)[] Cases =
    [
        (1, 1), (2, 1), (5, 2), (7, 3), (1000, 64), (4099, 4096), (100_003, 4096), (3 * Collectives.RingSegment + 17, Collectives.RingSegment),
    ];

    public static string Run(MpiTrainingGroup group)
    {
        var (rank, size) = (group.Rank, group.Size);
        var wrong = new List<string>();
        foreach (var (count, segment) in Cases)
        {
            var values = new float[count];
            for (var i = 0; i < count; i++) values[i] = Integer(rank, i);
            group.RingSum(values, segment);
            var bad = Enumerable.Range(0, count).Count(i => values[i] != Enumerable.Range(0, size).Sum(r => Integer(r, i)));
            if (bad > 0) wrong.Add($"{bad} of {count} integer sums wrong (segment {segment})");
        }
        var (fractionCount, fractionSegment) = (100_003, 4096);
        var fractions = Fractions(rank, fractionCount);
        group.RingSum(fractions, fractionSegment);
        var all = Enumerable.Range(0, size).Select(r => Fractions(r, fractionCount)).ToArray();
        var far = Enumerable.Range(0, fractionCount).Count(i =>
        {
            var expected = all.Sum(f => (double)f[i]);
            return Math.Abs(fractions[i] - expected) > 1e-6 * size * Math.Max(1, Math.Abs(expected));
        });
        if (far > 0) wrong.Add($"{far} of {fractionCount} fraction sums off");
        var checksum = fractions.Aggregate(17L, (hash, v) => unchecked(hash * 31 + BitConverter.SingleToInt32Bits(v)));
        return (wrong.Count == 0 ? "every sum right" : string.Join("; ", wrong)) + $"; checksum {checksum:X16}";
    }

    private static float Integer(int rank, int index) => index % 1000 * (rank + 1) + rank;

    private static float[] Fractions(int rank, int count)
    {
        var random = new Random(1234 + rank);
        return Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }
}
