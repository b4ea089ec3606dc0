using System.Runtime.CompilerServices;

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
        if ((long)planes * h * w > x.Length || (long)planes * p * q > Math.Min(y.Length, argmax.Length))
        {
            throw new ArgumentException($"Max pooling of {planes} planes {h}×{w} → {p}×{q}: arrays of {x.Length}, {y.Length}, {argmax.Length} are too short.");
        }
        fixed (float* px = x, py = y)
        fixed (int* pIndex = argmax)
        {
            var (ax, ay, aIndex) = ((nint)px, (nint)py, (nint)pIndex);
            // Several planes per task: a 13×13 plane alone is too little work to be worth a task.
            var perTask = Math.Max(1, 16384 / (h * w));
            Parallel.For(0, (planes + perTask - 1) / perTask, task =>
            {
                for (var plane = task * perTask; plane < Math.Min(planes, (task + 1) * perTask); plane++)
                {
                    ForwardPlane((float*)ax + (long)plane * h * w, (float*)ay + (long)plane * p * q, (int*)aIndex + (long)plane * p * q, w, p, q, window, stride);
                }
            });
        }
    }

    /// <summary>
    /// One plane. The common path keeps the first strictly larger value with conditional moves instead of
    /// branches (after a ReLU, comparisons are coin flips that a branch predictor loses); a window holding a NaN
    /// is redone in order, since there the first NaN wins.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardPlane(float* input, float* output, int* indices, int w, int p, int q, int window, int stride)
    {
        for (var i = 0; i < p; i++)
        {
            var top = i * stride * w;
            for (var j = 0; j < q; j++)
            {
                var corner = top + j * stride;
                var best = float.NegativeInfinity;
                var bestIndex = corner;
                var nan = false;
                for (var r = 0; r < window; r++)
                {
                    var row = corner + r * w;
                    for (var s = 0; s < window; s++)
                    {
                        var value = input[row + s];
                        var larger = value > best;
                        best = larger ? value : best;
                        bestIndex = larger ? row + s : bestIndex;
                        nan |= float.IsNaN(value);
                    }
                }
                if (nan) (best, bestIndex) = FirstNaN(input, corner, w, window);
                output[i * q + j] = best;
                indices[i * q + j] = bestIndex;
            }
        }
    }

    private static (float, int) FirstNaN(float* input, int corner, int w, int window)
    {
        for (var r = 0; r < window; r++)
        for (var s = 0; s < window; s++)
        {
            if (float.IsNaN(input[corner + r * w + s])) return (float.NaN, corner + r * w + s);
        }
        throw new InvalidOperationException("No NaN in a window flagged as holding one.");
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
