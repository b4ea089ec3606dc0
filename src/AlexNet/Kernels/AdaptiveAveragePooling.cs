namespace AlexNet.Kernels;

/// <summary>
/// Adaptive average pooling to a fixed P×Q output (PyTorch's AdaptiveAvgPool2d): output cell (i, j) averages
/// input rows ⌊i·H/P⌋ … ⌈(i+1)·H/P⌉ − 1 and the columns likewise. Windows may overlap, and when the input is
/// smaller than the output an input cell feeds several outputs (torchvision's 6×6 on small images).
/// </summary>
public static class AdaptiveAveragePooling
{
    public static (int Start, int End) Window(int index, int inputSize, int outputSize) =>
        (index * inputSize / outputSize, ((index + 1) * inputSize + outputSize - 1) / outputSize);

    public static void Forward(ReadOnlySpan<float> x, Span<float> y, int planes, int h, int w, int p, int q)
    {
        for (var plane = 0; plane < planes; plane++)
        {
            var input = x.Slice(plane * h * w, h * w);
            for (var i = 0; i < p; i++)
            {
                var (r0, r1) = Window(i, h, p);
                for (var j = 0; j < q; j++)
                {
                    var (c0, c1) = Window(j, w, q);
                    var sum = 0f;
                    for (var r = r0; r < r1; r++)
                    for (var c = c0; c < c1; c++) sum += input[r * w + c];
                    y[(plane * p + i) * q + j] = sum / ((r1 - r0) * (c1 - c0));
                }
            }
        }
    }

    /// <summary>dx (overwritten): each output gradient spread evenly over its window.</summary>
    public static void Backward(ReadOnlySpan<float> dy, Span<float> dx, int planes, int h, int w, int p, int q)
    {
        dx.Clear();
        for (var plane = 0; plane < planes; plane++)
        {
            var target = dx.Slice(plane * h * w, h * w);
            for (var i = 0; i < p; i++)
            {
                var (r0, r1) = Window(i, h, p);
                for (var j = 0; j < q; j++)
                {
                    var (c0, c1) = Window(j, w, q);
                    var share = dy[(plane * p + i) * q + j] / ((r1 - r0) * (c1 - c0));
                    for (var r = r0; r < r1; r++)
                    for (var c = c0; c < c1; c++) target[r * w + c] += share;
                }
            }
        }
    }
}
