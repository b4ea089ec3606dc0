namespace AlexNet.Kernels;

/// <summary>
/// The plain twin of <see cref="MaxPooling"/>: every window scanned in row-major order, the first maximum (or
/// the first NaN) kept with its input index, and the gradient routed back to that index.
/// </summary>
public static class MaxPoolingReference
{
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int planes, int h, int w, int window, int stride)
    {
        var (p, q) = MaxPooling.OutputSize(h, w, window, stride);
        for (var plane = 0; plane < planes; plane++)
        for (var i = 0; i < p; i++)
        for (var j = 0; j < q; j++)
        {
            var best = float.NegativeInfinity;
            var bestIndex = i * stride * w + j * stride;
            var found = false;
            for (var r = 0; r < window && !found; r++)
            for (var s = 0; s < window && !found; s++)
            {
                var index = (i * stride + r) * w + j * stride + s;
                var value = x[plane * h * w + index];
                if (float.IsNaN(value)) (best, bestIndex, found) = (value, index, true);
                else if (value > best) (best, bestIndex) = (value, index);
            }
            y[(plane * p + i) * q + j] = best;
            argmax[(plane * p + i) * q + j] = bestIndex;
        }
    }

    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx, int planes, int inputPlane, int outputPlane)
    {
        dx.Clear();
        for (var plane = 0; plane < planes; plane++)
        for (var i = 0; i < outputPlane; i++)
        {
            dx[plane * inputPlane + argmax[plane * outputPlane + i]] += dy[plane * outputPlane + i];
        }
    }
}
