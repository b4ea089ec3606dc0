using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

/// <summary>
/// Data movement around <see cref="DirectConvolutionKernels"/>: weights packed into 8-filter panels (as they are for
/// the forward pass, or flipped and transposed for the input gradient), the output gradient transposed to
/// position-major for the weight gradient, and result grids copied out into NCHW planes.
/// Legend: N batch, C in-channels, K out-channels, R kernel, G groups, P/Q output, Wp padded width.
/// </summary>
internal static unsafe class DirectConvolutionStaging
{
    private const int Rows = DirectConvolutionKernels.Rows;

    /// <summary>packed[group][panel][t][m] = w[group·K/G + panel·8 + m, t] (t = (c, r, s)), 0 past the group's filters.</summary>
    public static void PackFilters(float* w, Conv2dGeometry g, float* packed)
    {
        var (kg, taps, panels) = (g.FiltersPerGroup, g.PatchLength, DirectConvolution.Panels(g.FiltersPerGroup));
        for (var group = 0; group < g.Groups; group++)
        for (var panel = 0; panel < panels; panel++)
        {
            var destination = packed + ((long)group * panels + panel) * Rows * taps;
            for (var m = 0; m < Rows; m++)
            {
                var k = panel * Rows + m;
                var row = w + ((long)group * kg + k) * taps;
                for (var t = 0; t < taps; t++) destination[t * Rows + m] = k < kg ? row[t] : 0f;
            }
        }
    }

    /// <summary>
    /// packed[group][panel][t'][m] = w[group·K/G + k, c = panel·8 + m, R − 1 − r', R − 1 − s'] with t' = (k, r', s'):
    /// the filters of the input-gradient correlation, 0 past the group's input channels.
    /// </summary>
    public static void PackFlippedFilters(float* w, Conv2dGeometry g, float* packed)
    {
        var (cg, kg, rr) = (g.ChannelsPerGroup, g.FiltersPerGroup, g.R * g.R);
        var (taps, panels) = (kg * rr, DirectConvolution.Panels(cg));
        for (var group = 0; group < g.Groups; group++)
        for (var panel = 0; panel < panels; panel++)
        {
            var destination = packed + ((long)group * panels + panel) * Rows * taps;
            for (var m = 0; m < Rows; m++)
            {
                var c = panel * Rows + m;
                for (var k = 0; k < kg; k++)
                {
                    var filter = w + (((long)group * kg + k) * cg + c) * rr;
                    for (var i = 0; i < rr; i++) destination[(k * rr + i) * Rows + m] = c < cg ? filter[rr - 1 - i] : 0f;
                }
            }
        }
    }

    /// <summary>packed[group][t][k] = w[group·K/G + k, t] (t = (c, r, s)) for k below the padded count, 0 past K/G.</summary>
    public static void PackFilterColumns(float* w, Conv2dGeometry g, float* packed, int paddedFilters)
    {
        var (kg, taps) = (g.FiltersPerGroup, g.PatchLength);
        for (var group = 0; group < g.Groups; group++)
        for (var t = 0; t < taps; t++)
        {
            var destination = packed + ((long)group * taps + t) * paddedFilters;
            for (var k = 0; k < paddedFilters; k++) destination[k] = k < kg ? w[((long)group * kg + k) * taps + t] : 0f;
        }
    }

    /// <summary>
    /// packed[group][t'][c] = w[group·K/G + k, c, R − 1 − r', R − 1 − s'] with t' = (k, r', s'), 0 past C/G: the
    /// input-gradient filters with the channels contiguous.
    /// </summary>
    public static void PackFlippedFilterColumns(float* w, Conv2dGeometry g, float* packed, int paddedChannels)
    {
        var (cg, kg, rr) = (g.ChannelsPerGroup, g.FiltersPerGroup, g.R * g.R);
        for (var group = 0; group < g.Groups; group++)
        for (var k = 0; k < kg; k++)
        for (var i = 0; i < rr; i++)
        {
            var destination = packed + ((long)group * kg * rr + k * rr + i) * paddedChannels;
            var source = w + ((long)group * kg + k) * cg * rr + rr - 1 - i;
            for (var c = 0; c < paddedChannels; c++) destination[c] = c < cg ? source[(long)c * rr] : 0f;
        }
    }

    /// <summary>
    /// target[i, 0 .. width) = grid[i·stride + 0 .. width) (+ bias) for each of the rows. Rows are short (6 to 28
    /// floats), too short for a library call per row to pay off: 8-lane vectors, the last one overlapping the one
    /// before (it rewrites the same values).
    /// </summary>
    public static void CopyRows(float* grid, int stride, float* target, int rows, int width, float? bias)
    {
        var add = Vector256.Create(bias ?? 0f);
        for (var i = 0; i < rows; i++, grid += stride, target += width)
        {
            if (width < 8 || !Vector256.IsHardwareAccelerated)
            {
                for (var q = 0; q < width; q++) target[q] = bias is { } b ? grid[q] + b : grid[q];
                continue;
            }
            for (var q = 0; ; q += 8)
            {
                q = Math.Min(q, width - 8);
                var v = Vector256.Load(grid + q);
                Vector256.Store(bias is null ? v : v + add, target + q);
                if (q == width - 8) break;
            }
        }
    }

    /// <summary>
    /// dyT[v, k] = dy[k, v] for the output positions v (0 for k from kg to the padded channel count): the output
    /// gradient position-major. 8×8 blocks go through register transposes, the ragged rest element by element.
    /// </summary>
    public static void TransposeOutputGradient(float* dy, int kg, int outputPlane, float* dyT, int channelsPadded)
    {
        var blocked = Avx.IsSupported ? kg & ~7 : 0;
        var v = 0;
        for (; v + 8 <= outputPlane && blocked > 0; v += 8)
        {
            for (var k = 0; k < blocked; k += 8)
            {
                GemmPacking.Transpose8x8(dy + (long)k * outputPlane + v, outputPlane, dyT + (long)v * channelsPadded + k, channelsPadded);
            }
        }
        for (var position = 0; position < outputPlane; position++)
        {
            var row = dyT + (long)position * channelsPadded;
            for (var k = position < v ? blocked : 0; k < kg; k++) row[k] = dy[(long)k * outputPlane + position];
            new Span<float>(row + kg, channelsPadded - kg).Clear();
        }
    }
}
