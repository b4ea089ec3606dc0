namespace AlexNet.Kernels;

/// <summary>
/// Max pooling over NCHW planes without padding (PyTorch's MaxPool2d, floor mode), square window and
/// stride; AlexNet's overlapping pooling is window 3, stride 2. Legend: N batch, C channels, H/W input,
/// P/Q output. The first maximum in row-major window order wins a tie, as in PyTorch's CPU kernel, and its
/// input index is kept so that backward routes the gradient to exactly that element.
/// </summary>
public static unsafe class MaxPooling
{
    public static (int P, int Q) OutputSize(int h, int w, int window, int stride) =>
        ((h - window) / stride + 1, (w - window) / stride + 1);

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<int> argmax, int planes, int h, int w, int window, int stride)
    {
        var (p, q) = OutputSize(h, w, window, stride);
        fixed (float* px = x, py = y)
        fixed (int* pIndex = argmax)
        {
            var (ax, ay, aIndex) = ((nint)px, (nint)py, (nint)pIndex);
            Parallel.For(0, planes, plane =>
            {
                var input = (float*)ax + (long)plane * h * w;
                var output = (float*)ay + (long)plane * p * q;
                var indices = (int*)aIndex + (long)plane * p * q;
                for (var i = 0; i < p; i++)
                for (var j = 0; j < q; j++)
                {
                    var best = float.NegativeInfinity;
                    var bestIndex = (i * stride) * w + j * stride;
                    for (var r = 0; r < window; r++)
                    for (var s = 0; s < window; s++)
                    {
                        var index = (i * stride + r) * w + j * stride + s;
                        var value = input[index];
                        if (value > best || float.IsNaN(value))
                        {
                            best = value;
                            bestIndex = index;
                            if (float.IsNaN(value)) goto done;
                        }
                    }
                done:
                    output[i * q + j] = best;
                    indices[i * q + j] = bestIndex;
                }
            });
        }
    }

    /// <summary>dx (overwritten): each output gradient added to its window's maximum.</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, Span<float> dx, int planes, int inputPlane, int outputPlane)
    {
        dx.Clear();
        fixed (float* pdy = dy, pdx = dx)
        fixed (int* pIndex = argmax)
        {
            var (ady, adx, aIndex) = ((nint)pdy, (nint)pdx, (nint)pIndex);
            Parallel.For(0, planes, plane =>
            {
                var gradient = (float*)ady + (long)plane * outputPlane;
                var indices = (int*)aIndex + (long)plane * outputPlane;
                var target = (float*)adx + (long)plane * inputPlane;
                for (var i = 0; i < outputPlane; i++) target[indices[i]] += gradient[i];
            });
        }
    }
}
