using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace AlexNet.Kernels;

/// <summary>
/// Grouped convolution computed directly on zero-padded planes (no im2col matrix), for the layers
/// where the im2col + GEMM route spends most of its time copying: few channels per group and small planes
/// (MiniAlexNet's 32–96 channels on 28×28 to 6×6), and on AVX2 for all of AlexNet's. Same formula and layouts as
/// <see cref="Convolution"/>:
///   y[n, k, p, q] = b[k] + Σ_{c in group(k), r, s} w[k, c, r, s] · x[n, c, p·S − pad + r, q·S − pad + s]
/// A stride S above 1 is handled in forward and weight gradient (see <see cref="CorrelationLayout"/>), not in the
/// input gradient.
/// Legend: N batch, C in-channels, H/W input, K out-channels, R kernel, P/Q output, G groups.
/// <list type="bullet">
/// <item>Forward: the group's input planes are padded into a small buffer and correlated with the weights
/// (<see cref="DirectCorrelation"/>, lanes over positions or over channels).</item>
/// <item>Input gradient: the adjoint of a stride-1 correlation is a correlation of dy padded by R − 1 − pad with
/// the weights flipped in r and s and transposed in (k, c), so the same kernels compute it.</item>
/// <item>Weight gradient: dW[k, (c, r, s)] = Σ_{n, positions} dy[n, k, ·] · x_padded[n, c, · + r·Wp + s], with the
/// positions as the reduction. Samples are split into fixed chunks of <see cref="SamplesPerWeightTask"/>, each
/// summed by one task into its own partial; partials are added in chunk order.</item>
/// </list>
/// Tasks write disjoint outputs and every sum runs in a fixed order, so results are bitwise identical whatever
/// the number of threads.
/// </summary>
internal static unsafe class DirectConvolution
{
    /// <summary>Samples per weight-gradient partial: fixed (never derived from the thread count) for reproducibility.</summary>
    private const int SamplesPerWeightTask = 8;

    /// <summary>Taps per task of the weight-gradient reduction.</summary>
    private const int TapsPerReduceTask = 64;

    private const int Rows = DirectConvolutionKernels.Rows;

    private static readonly ParallelOptions AllCores = new();

    /// <summary>
    /// Padding small enough that dy's padding for the input gradient (R − 1 − pad) is not negative, and stride 1 unless
    /// no input gradient is wanted (the forward pass, or a network's first layer such as AlexNet's stride-4 conv1): the
    /// input gradient of a strided convolution is no stride-1 correlation. Strided layers take this route only with
    /// tiles narrower than AVX-512's, where bench/ConvBench measured it faster than im2col + GEMM (conv1 forward 48
    /// against 38 GFLOP/s on one Zen 3 core); with AVX-512 tiles that comparison has not been made.
    /// </summary>
    public static bool Handles(Conv2dGeometry g, bool inputGradient = true, Gemm.Isa? isa = null) =>
        g.Padding < g.R && (g.Stride == 1 || (!inputGradient && DirectTiles.For(isa ?? Gemm.BestIsa).Width < 32));

    /// <summary>y from x, w and b; with <paramref name="relu"/> clamped at 0 plane by plane as the planes are finished.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y, Conv2dGeometry g, Gemm.Isa isa,
        ParallelOptions? threads = null, CorrelationLanes lanes = CorrelationLanes.Automatic, bool relu = false)
    {
        CheckShape(g, x.Length, w.Length, y.Length, b.Length);
        var pass = new CorrelationPass(new CorrelationLayout(g.ChannelsPerGroup, g.H, g.W, g.Padding, g.R, g.Stride), g.C, g.K, g.FiltersPerGroup,
            g.Groups, g.N, Flipped: false);
        fixed (float* px = x, pw = w, pb = b, py = y)
        {
            DirectCorrelation.Run(px, py, pb, pw, g, pass, DirectTiles.For(isa), threads ?? AllCores, lanes, relu);
        }
    }

    /// <summary>dx (overwritten, skipped when empty), dw and db (accumulated) from x, w and dy.</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy,
        Span<float> dx, Span<float> dw, Span<float> db, Conv2dGeometry g, Gemm.Isa isa,
        ParallelOptions? threads = null, CorrelationLanes lanes = CorrelationLanes.Automatic)
    {
        CheckShape(g, x.Length, w.Length, dy.Length, db.Length);
        threads ??= AllCores;
        if (dw.Length != g.WeightLength) throw new ArgumentException($"Convolution weight gradient of {dw.Length} floats does not fit {g}.");
        var tiles = DirectTiles.For(isa);
        fixed (float* px = x, pw = w, pdy = dy, pdx = dx, pdw = dw, pdb = db)
        {
            if (!dx.IsEmpty)
            {
                if (g.Stride != 1) throw new ArgumentException($"Direct convolution computes no input gradient for stride {g.Stride}: {g}.");
                if (dx.Length != x.Length) throw new ArgumentException($"Convolution input gradient of {dx.Length} floats does not fit {g}.");
                var pass = new CorrelationPass(new CorrelationLayout(g.FiltersPerGroup, g.P, g.Q, g.R - 1 - g.Padding, g.R), g.K, g.C,
                    g.ChannelsPerGroup, g.Groups, g.N, Flipped: true);
                DirectCorrelation.Run(pdy, pdx, null, pw, g, pass, tiles, threads, lanes, relu: false);
            }
            BackwardWeights(px, pdy, pdw, g, tiles, threads);
            BiasGradient(pdy, pdb, g, threads);
        }
    }

    private static void BackwardWeights(float* x, float* dy, float* dw, Conv2dGeometry g, DirectTiles tiles, ParallelOptions threads)
    {
        var (cg, kg) = (g.ChannelsPerGroup, g.FiltersPerGroup);
        var layout = new CorrelationLayout(cg, g.H, g.W, g.Padding, g.R, g.Stride);
        var (taps, rowStride) = (layout.Taps, layout.RowStride);
        var (tapsPadded, channelsPadded) = (Panels(taps) * Rows, tiles.Round(kg));
        var chunks = (g.N + SamplesPerWeightTask - 1) / SamplesPerWeightTask;
        var partialLength = tapsPadded * channelsPadded;
        var partials = ArrayPool<float>.Shared.Rent(chunks * g.Groups * partialLength);
        // Rows past the last tap read from offset 0 (valid memory); their sums land in padding rows and are dropped.
        var offsets = new int[tapsPadded];
        layout.TapOffsets().CopyTo(offsets, 0);
        try
        {
            fixed (float* pPartials = partials)
            fixed (int* pOffsets = offsets)
            {
                var (ax, ady, aPartials, aOffsets) = ((nint)x, (nint)dy, (nint)pPartials, (nint)pOffsets);
                var (batch, inputs, outputs, inputPlane, outputPlane) = (g.N, g.C, g.K, g.InputPlane, g.OutputPlane);
                var (outputHeight, outputWidth, groups) = (g.P, g.Q, g.Groups);
                // Small batches split each (chunk, group) into runs of 8-tap panels, so that every core has work (each task
                // pads the source and transposes dy for itself).
                var tapPanels = tapsPadded / Rows;
                var runs = Math.Clamp(DirectCorrelation.SmallBatchTasks(threads) / (chunks * groups), 1, tapPanels);
                var panelsPerRun = (tapPanels + runs - 1) / runs;
                runs = (tapPanels + panelsPerRun - 1) / panelsPerRun;
                Parallel.For(0, chunks * groups * runs, threads, task =>
                {
                    var (chunk, group, run) = (task / (groups * runs), task / runs % groups, task % runs);
                    var (firstTap, endTap) = (run * panelsPerRun * Rows, Math.Min(tapsPadded, (run + 1) * panelsPerRun * Rows));
                    var partial = (float*)aPartials + (long)(chunk * groups + group) * partialLength;
                    new Span<float>(partial + (long)firstTap * channelsPadded, (endTap - firstTap) * channelsPadded).Clear();
                    using var scratch = new PinnedScratch(layout.SourceLength, outputPlane * channelsPadded);
                    for (var n = chunk * SamplesPerWeightTask; n < Math.Min(batch, (chunk + 1) * SamplesPerWeightTask); n++)
                    {
                        layout.Pad((float*)ax + ((long)n * inputs + group * cg) * inputPlane, scratch.Source);
                        DirectConvolutionStaging.TransposeOutputGradient((float*)ady + ((long)n * outputs + group * kg) * outputPlane, kg, outputPlane,
                            scratch.Grid, channelsPadded);
                        var dyT = scratch.Grid;
                        for (var t0 = firstTap; t0 < endTap; t0 += Rows)
                        for (int k0 = 0, lanes; k0 < channelsPadded; k0 += lanes)
                        {
                            lanes = tiles.Lanes(channelsPadded - k0);
                            var weights = lanes == tiles.Width ? tiles.Weights : tiles.WeightsHalf;
                            weights(outputHeight, outputWidth, rowStride, scratch.Source, (int*)aOffsets + t0, dyT + k0, channelsPadded, partial + (long)t0 * channelsPadded + k0,
                                channelsPadded);
                        }
                    }
                });

                // dw[group·K/G + k, t] += Σ_chunks partial[chunk, group][t, k], summed in chunk order; tasks take
                // blocks of taps and add whole partial rows (contiguous in k).
                var adw = (nint)dw;
                var blocks = (taps + TapsPerReduceTask - 1) / TapsPerReduceTask;
                Parallel.For(0, groups * blocks, threads, task =>
                {
                    var (group, block) = (task / blocks, task % blocks);
                    var sum = ArrayPool<float>.Shared.Rent(kg);
                    var sums = sum.AsSpan(0, kg);
                    for (var t = block * TapsPerReduceTask; t < Math.Min(taps, (block + 1) * TapsPerReduceTask); t++)
                    {
                        var row = (float*)aPartials + (long)group * partialLength + (long)t * channelsPadded;
                        new ReadOnlySpan<float>(row, kg).CopyTo(sums);
                        for (var chunk = 1; chunk < chunks; chunk++)
                        {
                            TensorPrimitives.Add(sums, new ReadOnlySpan<float>(row + (long)chunk * groups * partialLength, kg), sums);
                        }
                        var target = (float*)adw + (long)group * kg * taps + t;
                        for (var k = 0; k < kg; k++) target[(long)k * taps] += sums[k];
                    }
                    ArrayPool<float>.Shared.Return(sum);
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }

    /// <summary>db[k] += Σ_{n, p, q} dy[n, k, p, q], summed in double in a fixed order; parallel over k.</summary>
    private static void BiasGradient(float* dy, float* db, Conv2dGeometry g, ParallelOptions threads)
    {
        var (ady, adb) = ((nint)dy, (nint)db);
        var (batch, outputs, outputPlane) = (g.N, g.K, g.OutputPlane);
        Parallel.For(0, outputs, threads, k =>
        {
            // Interleaved sums of floats widened to double, combined at the end: one chain of dependent adds is
            // latency bound. The split into lanes depends only on the plane size, never on the machine's threads.
            Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
            var tail = 0.0;
            for (var n = 0; n < batch; n++)
            {
                var plane = (float*)ady + ((long)n * outputs + k) * outputPlane;
                var i = 0;
                for (; i + 16 <= outputPlane; i += 16)
                {
                    var (a, b) = Vector256.Widen(Vector256.Load(plane + i));
                    var (c, d) = Vector256.Widen(Vector256.Load(plane + i + 8));
                    (s0, s1, s2, s3) = (s0 + a, s1 + b, s2 + c, s3 + d);
                }
                for (; i + 8 <= outputPlane; i += 8)
                {
                    var (a, b) = Vector256.Widen(Vector256.Load(plane + i));
                    (s0, s1) = (s0 + a, s1 + b);
                }
                for (; i < outputPlane; i++) tail += plane[i];
            }
            var sum = Vector256.Sum(s0 + s1) + Vector256.Sum(s2 + s3) + tail;
            ((float*)adb)[k] += (float)sum;
        });
    }

    internal static int Panels(int rows) => (rows + Rows - 1) / Rows;

    private static void CheckShape(Conv2dGeometry g, int xLength, int wLength, int yLength, int bLength)
    {
        g.Validate();
        if (g.Padding >= g.R) throw new ArgumentException($"Direct convolution needs padding below the kernel size, got {g}.");
        if (xLength != g.N * g.C * g.InputPlane || wLength != g.WeightLength || yLength != g.N * g.K * g.OutputPlane || bLength != g.K)
        {
            throw new ArgumentException($"Convolution arrays of {xLength}, {wLength}, {yLength}, {bLength} floats do not fit {g}.");
        }
    }
}
