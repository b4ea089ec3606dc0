using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

/// <summary>
/// Runs one <see cref="CorrelationPass"/> of <see cref="DirectConvolution"/> (forward, or input gradient with
/// flipped filters) with the register tiles of <see cref="DirectConvolutionKernels"/>, in one of two shapes:
/// <list type="bullet">
/// <item>Lanes over positions: per (sample, group), the padded planes are correlated with 8-filter panels into a
/// grid of Wp-wide rows, then copied out. Every output row computes R − 1 padding columns for nothing (a quarter of
/// the work on 13×13 and 6×6 planes).</item>
/// <item>Lanes over channels: 8 output positions by 32 target channels, the positions free to lie anywhere, so that
/// a task packs several small samples and only real outputs are computed; tiles are scattered into NCHW planes.</item>
/// </list>
/// Every output element is computed by one task with a fixed order of taps, whatever the thread count. A fused ReLU
/// clamps each task's target planes once the task has written them, while they are still in cache.
/// </summary>
internal static unsafe class DirectCorrelation
{
    private const int Rows = DirectConvolutionKernels.Rows;

    /// <summary>Output positions a channel-lane task aims for: enough tiles to amortize padding several small samples.</summary>
    private const int PositionsPerTask = 256;

    private const int MaxSamplesPerTask = 8;

    /// <summary>
    /// Tasks a pass aims for when the batch alone gives too few (two per core, so that unequal tasks still balance);
    /// how work is split never changes a result, since every output is computed by one task in a fixed order.
    /// </summary>
    internal static int SmallBatchTasks(ParallelOptions threads) =>
        2 * (threads.MaxDegreeOfParallelism > 0 ? threads.MaxDegreeOfParallelism : Environment.ProcessorCount);

    public static void Run(float* source, float* target, float* bias, float* w, Conv2dGeometry g, CorrelationPass pass, DirectTiles tiles,
        ParallelOptions threads, CorrelationLanes lanes, bool relu)
    {
        if (pass.ChannelLanes(lanes, tiles.Width)) OverChannels(source, target, bias, w, g, pass, tiles, threads, relu);
        else OverPositions(source, target, bias, w, g, pass, tiles, threads, relu);
    }

    private static void OverPositions(float* source, float* target, float* bias, float* w, Conv2dGeometry g, CorrelationPass pass, DirectTiles tiles,
        ParallelOptions threads, bool relu)
    {
        var layout = pass.Layout;
        var (taps, panels, lpad) = (layout.Taps, DirectConvolution.Panels(pass.Filters), tiles.Round(layout.GridLength));
        var packed = ArrayPool<float>.Shared.Rent(pass.Groups * panels * Rows * taps);
        var offsets = layout.TapOffsets();
        // Everything the tasks read in locals: the records compute their properties on every access.
        var (sourceChannels, targetChannels, sourcePlane, targetPlane) = (pass.SourceChannels, pass.TargetChannels, pass.SourcePlane, pass.TargetPlane);
        var (filters, groups, height, width, rowStride) = (pass.Filters, pass.Groups, layout.OutputHeight, layout.OutputWidth, layout.RowStride);
        try
        {
            fixed (float* pPacked = packed)
            fixed (int* pOffsets = offsets)
            {
                if (pass.Flipped) DirectConvolutionStaging.PackFlippedFilters(w, g, pPacked);
                else DirectConvolutionStaging.PackFilters(w, g, pPacked);
                var (aSource, aTarget, aBias, aPacked, aOffsets) = ((nint)source, (nint)target, (nint)bias, (nint)pPacked, (nint)pOffsets);
                // Small batches split each (sample, group) into runs of filter panels, so that every core has work (each task
                // pads its own copy of the source: cheap beside the correlation).
                var runs = Math.Clamp(SmallBatchTasks(threads) / (pass.Batch * groups), 1, panels);
                var panelsPerRun = (panels + runs - 1) / runs;
                runs = (panels + panelsPerRun - 1) / panelsPerRun;
                Parallel.For(0, pass.Batch * groups * runs, threads, task =>
                {
                    var (n, group, run) = (task / (groups * runs), task / runs % groups, task % runs);
                    var (firstPanel, endPanel) = (run * panelsPerRun, Math.Min(panels, (run + 1) * panelsPerRun));
                    using var scratch = new PinnedScratch(layout.SourceLength, panels * Rows * lpad);
                    layout.Pad((float*)aSource + ((long)n * sourceChannels + group * layout.Channels) * sourcePlane, scratch.Source);
                    var groupFilters = (float*)aPacked + (long)group * panels * Rows * taps;
                    for (var panel = firstPanel; panel < endPanel; panel++)
                    {
                        for (int j0 = 0, lanes; j0 < lpad; j0 += lanes)
                        {
                            lanes = tiles.Lanes(lpad - j0);
                            var correlate = lanes == tiles.Width ? tiles.Correlate : tiles.CorrelateHalf;
                            correlate(taps, groupFilters + (long)panel * Rows * taps, (int*)aOffsets, scratch.Source + j0,
                                scratch.Grid + (long)panel * Rows * lpad + j0, lpad);
                        }
                    }
                    for (var m = firstPanel * Rows; m < Math.Min(filters, endPanel * Rows); m++)
                    {
                        var channel = group * filters + m;
                        float? shift = aBias == 0 ? null : ((float*)aBias)[channel];
                        var plane = (float*)aTarget + ((long)n * targetChannels + channel) * targetPlane;
                        DirectConvolutionStaging.CopyRows(scratch.Grid + (long)m * lpad, rowStride, plane, height, width, shift);
                        if (relu) Relu.ForwardRange(plane, plane, targetPlane);
                    }
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
        }
    }

    private static void OverChannels(float* source, float* target, float* bias, float* w, Conv2dGeometry g, CorrelationPass pass, DirectTiles tiles,
        ParallelOptions threads, bool relu)
    {
        var layout = pass.Layout;
        var (taps, paddedFilters) = (layout.Taps, tiles.Round(pass.Filters));
        var packed = ArrayPool<float>.Shared.Rent(pass.Groups * taps * paddedFilters);
        var offsets = layout.TapOffsets();
        var (sourceChannels, targetChannels, sourcePlane, targetPlane) = (pass.SourceChannels, pass.TargetChannels, pass.SourcePlane, pass.TargetPlane);
        var (filters, groups, width, rowStride, batch) = (pass.Filters, pass.Groups, layout.OutputWidth, layout.RowStride, pass.Batch);
        var samplesPerTask = Math.Clamp((PositionsPerTask + targetPlane - 1) / targetPlane, 1, MaxSamplesPerTask);
        var blocks = (batch + samplesPerTask - 1) / samplesPerTask;
        try
        {
            fixed (float* pPacked = packed)
            fixed (int* pOffsets = offsets)
            {
                if (pass.Flipped) DirectConvolutionStaging.PackFlippedFilterColumns(w, g, pPacked, paddedFilters);
                else DirectConvolutionStaging.PackFilterColumns(w, g, pPacked, paddedFilters);
                var (aSource, aTarget, aBias, aPacked, aOffsets) = ((nint)source, (nint)target, (nint)bias, (nint)pPacked, (nint)pOffsets);
                // Channel tiles of a run of filters: full tiles, then steps. Small batches split them into runs across tasks.
                var tileStarts = new List<int>();
                for (var k0 = 0; k0 < paddedFilters; k0 += tiles.Lanes(paddedFilters - k0)) tileStarts.Add(k0);
                var runs = Math.Clamp(SmallBatchTasks(threads) / (blocks * groups), 1, tileStarts.Count);
                var tilesPerRun = (tileStarts.Count + runs - 1) / runs;
                runs = (tileStarts.Count + tilesPerRun - 1) / tilesPerRun;
                Parallel.For(0, blocks * groups * runs, threads, task =>
                {
                    var (block, group, run) = (task / (groups * runs), task / runs % groups, task % runs);
                    var first = block * samplesPerTask;
                    var count = Math.Min(samplesPerTask, batch - first);
                    using var scratch = new PinnedScratch(count * layout.SourceLength, Rows * 32);
                    for (var s = 0; s < count; s++)
                    {
                        layout.Pad((float*)aSource + ((long)(first + s) * sourceChannels + group * layout.Channels) * sourcePlane,
                            scratch.Source + (long)s * layout.SourceLength);
                    }
                    var rowOffsets = stackalloc int[Rows];
                    var targets = stackalloc long[Rows];
                    var positions = count * targetPlane;
                    for (var tile = run * tilesPerRun; tile < Math.Min(tileStarts.Count, (run + 1) * tilesPerRun); tile++)
                    {
                        var k0 = tileStarts[tile];
                        var lanes = tiles.Lanes(paddedFilters - k0);
                        var gather = lanes == tiles.Width ? tiles.Gather : tiles.GatherHalf;
                        var columns = Math.Min(lanes, filters - k0);
                        var groupFilters = (float*)aPacked + (long)group * taps * paddedFilters + k0;
                        // (sample, position in its plane) of the next row, advanced without divisions.
                        var (sample, at, p, q) = (0, 0, 0, 0);
                        for (var position = 0; position < positions; position += Rows)
                        {
                            var rows = Math.Min(Rows, positions - position);
                            for (var r = 0; r < Rows; r++)
                            {
                                if (r >= rows)
                                {
                                    // Spare rows repeat a real position: valid reads, results dropped.
                                    (rowOffsets[r], targets[r]) = (rowOffsets[0], targets[0]);
                                    continue;
                                }
                                rowOffsets[r] = sample * layout.SourceLength + p * rowStride + q;
                                targets[r] = ((long)(first + sample) * targetChannels + group * filters + k0) * targetPlane + at;
                                (at, q) = (at + 1, q + 1);
                                if (q == width) (p, q) = (p + 1, 0);
                                if (at == targetPlane) (sample, at, p) = (sample + 1, 0, 0);
                            }
                            gather(taps, scratch.Source, rowOffsets, (int*)aOffsets, groupFilters, paddedFilters, scratch.Grid);
                            Scatter(scratch.Grid, rows, columns, targets, (float*)aTarget, targetPlane, aBias == 0 ? null : (float*)aBias + group * filters + k0);
                        }
                    }
                    if (relu)
                    {
                        var firstFilter = tileStarts[run * tilesPerRun];
                        var endFilter = Math.Min(filters, (run + 1) * tilesPerRun < tileStarts.Count ? tileStarts[(run + 1) * tilesPerRun] : filters);
                        for (var s = 0; s < count; s++)
                        {
                            var planes = (float*)aTarget + ((long)(first + s) * targetChannels + group * filters + firstFilter) * targetPlane;
                            Relu.ForwardRange(planes, planes, (endFilter - firstFilter) * targetPlane);
                        }
                    }
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packed);
        }
    }

    /// <summary>
    /// target[targets[r] + k·plane] = tile[r, k] (+ bias[k]) for the tile's valid rows and columns. When the 8 rows are
    /// consecutive positions of one plane (most tiles), blocks of 8 channels go through register transposes and
    /// 8-float stores instead of 64 scalar stores to 8 planes.
    /// </summary>
    private static void Scatter(float* tile, int rows, int columns, long* targets, float* target, int plane, float* bias)
    {
        var blocked = 0;
        if (Avx.IsSupported && rows == Rows && targets[Rows - 1] - targets[0] == Rows - 1)
        {
            blocked = columns & ~7;
            if (bias != null)
            {
                for (var r = 0; r < Rows; r++)
                for (var k = 0; k < blocked; k += 8)
                {
                    Vector256.Store(Vector256.Load(tile + r * 32 + k) + Vector256.Load(bias + k), tile + r * 32 + k);
                }
            }
            for (var k = 0; k < blocked; k += 8) GemmPacking.Transpose8x8(tile + k, 32, target + targets[0] + (long)k * plane, plane);
        }
        for (var r = 0; r < rows; r++)
        {
            var destination = target + targets[r];
            var line = tile + r * 32;
            for (var k = blocked; k < columns; k++) destination[(long)k * plane] = bias == null ? line[k] : line[k] + bias[k];
        }
    }
}
