namespace AlexNet.Kernels;

/// <summary>
/// The plain twin of <see cref="LocalResponseNorm"/>: the formula of <see cref="LrnGeometry"/> evaluated
/// element by element in double, and its derivative written out as ∂y[j]/∂x[c] summed over j.
/// </summary>
public static class LocalResponseNormReference
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, LrnGeometry g)
    {
        g.Validate();
        for (var n = 0; n < g.N; n++)
        for (var c = 0; c < g.C; c++)
        for (var i = 0; i < g.Plane; i++)
        {
            y[Index(g, n, c, i)] = (float)(x[Index(g, n, c, i)] * Math.Pow(Scale(x, g, n, c, i), -g.Beta));
        }
    }

    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, LrnGeometry g)
    {
        g.Validate();
        for (var n = 0; n < g.N; n++)
        for (var c = 0; c < g.C; c++)
        for (var i = 0; i < g.Plane; i++)
        {
            double gradient = 0;
            // y[j] depends on x[c] through its own x (j = c) and through scale[j] when c is in j's window.
            for (var j = 0; j < g.C; j++)
            {
                var scale = Scale(x, g, n, j, i);
                var inWindow = c >= j - g.Before && c <= j + g.After;
                double derivative = j == c ? Math.Pow(scale, -g.Beta) : 0;
                if (inWindow)
                {
                    derivative -= x[Index(g, n, j, i)] * g.Beta * Math.Pow(scale, -g.Beta - 1) * (2.0 * g.Alpha / g.Size) * x[Index(g, n, c, i)];
                }
                gradient += dy[Index(g, n, j, i)] * derivative;
            }
            dx[Index(g, n, c, i)] = (float)gradient;
        }
    }

    private static double Scale(ReadOnlySpan<float> x, LrnGeometry g, int n, int c, int i)
    {
        double sum = 0;
        for (var j = Math.Max(0, c - g.Before); j <= Math.Min(g.C - 1, c + g.After); j++)
        {
            double v = x[Index(g, n, j, i)];
            sum += v * v;
        }
        return g.K + g.Alpha / g.Size * sum;
    }

    private static int Index(LrnGeometry g, int n, int c, int i) => (n * g.C + c) * g.Plane + i;
}
