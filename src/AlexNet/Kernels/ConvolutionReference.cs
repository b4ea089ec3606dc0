namespace AlexNet.Kernels;

/// <summary>
/// The plain twin of <see cref="Convolution"/>: the convolution sum written out as nested loops, used by the
/// tests as ground truth. Same formula and layouts; accumulates in double.
/// Legend: N batch, C in-channels, H/W input, K out-channels, R kernel, P/Q output, G groups.
/// </summary>
public static class ConvolutionReference
{
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y, Conv2dGeometry g)
    {
        g.Validate();
        var (cg, kg) = (g.ChannelsPerGroup, g.FiltersPerGroup);
        for (var n = 0; n < g.N; n++)
        for (var k = 0; k < g.K; k++)
        for (var p = 0; p < g.P; p++)
        for (var q = 0; q < g.Q; q++)
        {
            double sum = b[k];
            var group = k / kg;
            for (var c = 0; c < cg; c++)
            for (var r = 0; r < g.R; r++)
            for (var s = 0; s < g.R; s++)
            {
                var ih = p * g.Stride - g.Padding + r;
                var iw = q * g.Stride - g.Padding + s;
                if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                sum += (double)w[((k * cg + c) * g.R + r) * g.R + s] * x[((n * g.C + group * cg + c) * g.H + ih) * g.W + iw];
            }
            y[((n * g.K + k) * g.P + p) * g.Q + q] = (float)sum;
        }
    }

    /// <summary>dx overwritten (skipped when empty); dw and db accumulated.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db, Conv2dGeometry g)
    {
        g.Validate();
        var (cg, kg) = (g.ChannelsPerGroup, g.FiltersPerGroup);
        var dxSum = new double[dx.Length];
        var dwSum = new double[dw.Length];
        var dbSum = new double[db.Length];
        for (var n = 0; n < g.N; n++)
        for (var k = 0; k < g.K; k++)
        for (var p = 0; p < g.P; p++)
        for (var q = 0; q < g.Q; q++)
        {
            var gradient = (double)dy[((n * g.K + k) * g.P + p) * g.Q + q];
            dbSum[k] += gradient;
            var group = k / kg;
            for (var c = 0; c < cg; c++)
            for (var r = 0; r < g.R; r++)
            for (var s = 0; s < g.R; s++)
            {
                var ih = p * g.Stride - g.Padding + r;
                var iw = q * g.Stride - g.Padding + s;
                if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                var xIndex = ((n * g.C + group * cg + c) * g.H + ih) * g.W + iw;
                var wIndex = ((k * cg + c) * g.R + r) * g.R + s;
                dwSum[wIndex] += gradient * x[xIndex];
                if (!dx.IsEmpty) dxSum[xIndex] += gradient * w[wIndex];
            }
        }
        for (var i = 0; i < dx.Length; i++) dx[i] = (float)dxSum[i];
        for (var i = 0; i < dw.Length; i++) dw[i] += (float)dwSum[i];
        for (var i = 0; i < db.Length; i++) db[i] += (float)dbSum[i];
    }
}
