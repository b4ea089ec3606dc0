using AlexNet.Tensors;

namespace AlexNet.Mpi;

/// <summary>
/// Parameters whose gradients are reduced together, as soon as backward has finished all of them. Large gradients
/// are reduced where they lie (the pinned arrays of <see cref="Parameter.Gradient"/>); the small ones are packed into
/// one buffer first, so that a bucket costs one MPI call per large tensor plus one.
/// </summary>
internal sealed class GradientBucket
{
    /// <summary>Gradients at least this large are reduced in place: copying them would cost more than the call saves.</summary>
    public const long InPlaceBytes = 1 << 20;

    /// <param name="inPlaceBytes">Gradients at least this large are reduced where they lie.</param>
    public GradientBucket(int index, IReadOnlyList<Parameter> parameters, long inPlaceBytes)
    {
        Index = index;
        Parameters = parameters;
        InPlace = parameters.Where(p => Bytes(p) >= inPlaceBytes).ToList();
        Packed = parameters.Where(p => Bytes(p) < inPlaceBytes).ToList();
        Staging = new float[Packed.Sum(p => p.Gradient.Length)];
    }

    public int Index { get; }

    /// <summary>In the order backward finishes them (the last layer's first).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public IReadOnlyList<Parameter> InPlace { get; }

    public IReadOnlyList<Parameter> Packed { get; }

    /// <summary>The packed gradients, one after another.</summary>
    public float[] Staging { get; }

    public long TotalBytes => Parameters.Sum(Bytes);

    public static long Bytes(Parameter parameter) => (long)parameter.Gradient.Length * sizeof(float);

    /// <summary>
    /// Groups <paramref name="parameters"/> (in network order) into buckets in reverse order, the order backward
    /// produces them: a bucket takes parameters until it holds at least <paramref name="capacityBytes"/>, so the fully
    /// connected layers, nearly all of AlexNet's bytes, are reduced while the convolutions' backward still runs.
    /// A gradient of 1 MiB or of half a bucket is reduced in place; smaller ones are packed.
    /// </summary>
    public static IReadOnlyList<GradientBucket> Plan(IReadOnlyList<Parameter> parameters, long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacityBytes, 1);
        var inPlaceBytes = Math.Min(InPlaceBytes, Math.Max(1, capacityBytes / 2));
        var buckets = new List<GradientBucket>();
        var current = new List<Parameter>();
        long bytes = 0;
        for (var i = parameters.Count - 1; i >= 0; i--)
        {
            current.Add(parameters[i]);
            bytes += Bytes(parameters[i]);
            if (bytes < capacityBytes) continue;
            buckets.Add(new GradientBucket(buckets.Count, current, inPlaceBytes));
            (current, bytes) = ([], 0);
        }
        if (current.Count > 0) buckets.Add(new GradientBucket(buckets.Count, current, inPlaceBytes));
        return buckets;
    }
}
