namespace AlexNet.Tensors;

/// <summary>An immutable list of dimensions, compared by value.</summary>
public sealed class Shape : IEquatable<Shape>
{
    private readonly int[] _dimensions;

    public Shape(params int[] dimensions)
    {
        long count = 1;
        foreach (var d in dimensions)
        {
            if (d < 0) throw new ArgumentException($"Shape dimensions must not be negative: ({string.Join(", ", dimensions)}).", nameof(dimensions));
            // A product past 2^63 would wrap to any number, even 0: such a shape (say from a damaged file) is refused here.
            if (d > 0 && count > long.MaxValue / d) throw new ArgumentException($"Shape ({string.Join(", ", dimensions)}) has more than 2^63 elements.", nameof(dimensions));
            count *= d;
        }
        _dimensions = (int[])dimensions.Clone();
        ElementCount = count;
    }

    public int Rank => _dimensions.Length;

    public int this[int axis] => _dimensions[axis];

    public IReadOnlyList<int> Dimensions => _dimensions;

    /// <summary>Product of all dimensions (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>The same shape with <paramref name="batch"/> prepended.</summary>
    public Shape WithBatch(int batch) => new([batch, .. _dimensions]);

    /// <summary>The shape without its first (batch) dimension.</summary>
    public Shape WithoutBatch() => new(_dimensions[1..]);

    public int[] ToArray() => (int[])_dimensions.Clone();

    public bool Equals(Shape? other) => other is not null && _dimensions.AsSpan().SequenceEqual(other._dimensions);

    public override bool Equals(object? obj) => Equals(obj as Shape);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _dimensions) hash.Add(d);
        return hash.ToHashCode();
    }

    public override string ToString() => "(" + string.Join(", ", _dimensions) + ")";
}
