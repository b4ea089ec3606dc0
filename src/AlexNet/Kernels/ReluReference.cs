namespace AlexNet.Kernels;

/// <summary>The plain twin of <see cref="Relu"/>: one element at a time, as the definition reads.</summary>
public static class ReluReference
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y)
    {
        for (var i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : 0f;
    }

    public static void Backward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        for (var i = 0; i < y.Length; i++) dx[i] = y[i] > 0 ? dy[i] : 0f;
    }
}
