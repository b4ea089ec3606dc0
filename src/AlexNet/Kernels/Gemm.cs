// Single-precision GEMM:  C = (accumulate ? C : 0) + op(A)·op(B),  op(A) m×k, op(B) k×n, all row-major,
// C[i*ldc + j]. A Goto/BLIS-style packed, register-blocked implementation written for this project.
//
// Micro-kernel (AVX-512): an MR=8 × NR=32 tile of C (two zmm per row) lives in 16 accumulators; each
// k step loads 2 B vectors, broadcasts 8 A values and issues 16 FMAs. Zen 5 sustains 2 zmm FMAs per
// cycle at 4-cycle latency, so ≥8 independent chains are needed; 16 give slack and use 19 of 32 zmm
// registers (no spills). 8×32 measured a little faster than 6×32 / 12×32 / 14×32 and divides the
// AlexNet channel counts (64, 96, 128, 256, 384) exactly. Fallbacks: AVX2 6×16 or 4×24 (12 ymm accumulators,
// FMA when available), scalar 4×4. Panels of ≤16 valid columns use an 8×16 kernel.
//
// Packing (GemmPacking.cs) copies op(A) into MR-row panels (p-major) and op(B) into NR-column panels
// (p-major), zero-padded, so every transpose combination meets one layout and edge tiles run the
// full kernel; only the valid part of an edge tile is written back.
//
// Blocking (L1 48 KiB, L2 1 MiB per core, L3 shared):
//   KC = 256   a kc×NR packed B panel is 32 KiB and stays in L1 while MR-row A panels stream past it.
//   MC = 192   rows (24 MR panels) × KC of packed A = 192 KiB stays in L2 across all B panels of a task.
//   NC = 4096  columns × KC of packed B = 4 MiB, read by every row block from L3.
//   MB = 1536  rows of A packed per step, bounding scratch for very tall A.
// Tall, wide products on several threads (n ≥ 1024 per thread, m > 512) skip the shared drivers: each thread
// runs the serial driver on its own columns (MultiplyInColumnParts). Otherwise two drivers:
//   Block mode (m > 512): for jc (NC) / pc (KC): pack B once (shared), then per MB rows pack A and run
//     tasks = (MC rows × chunk of B panels). B is packed once and reused by every row block.
//   Panel mode (m ≤ 512, e.g. conv weights × im2col): all of op(A) is packed once (per k super-block
//     of ≤ 8 MiB), then tasks = near-square (row chunk × NR-panel chunk) blocks of C, each looping
//     over k blocks and packing its own B panels into L1. Two fork/joins per call instead of two per
//     k block, and B (usually the big operand here) is packed straight from memory into L1. When B
//     is too large to be cache resident (> 16 MiB) the next panel's source lines are prefetched
//     while the current one is multiplied: packing touches only 2 lines per row of B, too many
//     streams for the hardware prefetchers (measured +15-20% on the fc-layer shapes).
//
// Determinism: each element of C gets exactly one kernel call per KC block, in increasing k order,
// with identical packed operands and FMA sequence whichever thread runs it; k is never split across
// threads. Results are therefore bitwise identical for parallel=false and any number of threads.
using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AlexNet.Kernels;

public static unsafe class Gemm
{
    internal enum Isa { Scalar, Vector256, Vector512 }

    internal static Isa BestIsa =>
        Vector512.IsHardwareAccelerated ? Isa.Vector512 : Vector256.IsHardwareAccelerated ? Isa.Vector256 : Isa.Scalar;

    internal const int KC = 256, MCPanels = 24, NC = 4096, MB = 1536;
    internal const int PanelModeRows = 512;
    private const int PanelGroupColumnsAvx2 = 128; // 128 columns × KC of packed B = 128 KiB, L2-resident
    private const int PanelModeAFloats = 1 << 21; // packed-A budget per k super-block in panel mode (8 MiB)
    private const long PrefetchBFloats = 1L << 22; // prefetch B sources only when B exceeds 16 MiB
    // Below this many multiply-adds (~45 µs on one core) the fork/joins cost more than they save.
    internal const long ParallelThreshold = 1L << 23;
    // Packing fewer floats than this (~25 µs) runs on the calling thread: not worth a fork/join.
    // (Above it, packing in parallel also wakes the pool thread before the compute fork needs it.)
    private const int ParallelPackFloats = 1 << 18;

    /// C = (accumulate ? C : 0) + op(A) · op(B), all row-major float32.
    /// op(A) is m×k: A[i*lda + p] when !transposeA, A[p*lda + i] when transposeA.
    /// op(B) is k×n: B[p*ldb + j] when !transposeB, B[j*ldb + p] when transposeB.
    /// C[i*ldc + j]. parallel: may use all cores (Parallel.For); when false run on the calling thread only.
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, bool parallel)
        => Multiply(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, parallel, BestIsa);

    /// Same as the public overload with the instruction set forced (lets tests cover every fallback).
    internal static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc, bool accumulate, bool parallel, Isa isa)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        CheckOperand(a.Length, transposeA ? k : m, transposeA ? m : k, lda, nameof(a), nameof(lda));
        CheckOperand(b.Length, transposeB ? n : k, transposeB ? k : n, ldb, nameof(b), nameof(ldb));
        CheckOperand(c.Length, m, n, ldc, nameof(c), nameof(ldc));
        if (isa > BestIsa) throw new PlatformNotSupportedException($"{isa} is not accelerated on this machine.");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }

        bool useThreads = parallel && Environment.ProcessorCount > 1 && (long)m * n * k >= ParallelThreshold;
        fixed (float* pa = a, pb = b, pc = c)
        {
            int cores = Environment.ProcessorCount;
            if (useThreads && m > PanelModeRows && n >= ColumnPartMinimum * cores)
                MultiplyInColumnParts(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, isa, cores);
            else
                new Driver(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, useThreads, isa).Run();
        }
    }

    /// <summary>Columns of C per thread from which a tall, wide product runs as <see cref="MultiplyInColumnParts"/>.</summary>
    private const int ColumnPartMinimum = 1024;

    /// <summary>
    /// A tall, wide product (block mode: fully connected weight gradients, the unfolded convolutions' input
    /// gradients) as <paramref name="parts"/> independent serial products, one per thread, each on its own columns of
    /// B and C: one fork/join per call instead of two per block of k and rows, and no thread waits for another
    /// between blocks. Every part packs all of op(A) for itself, which costs about 1/width of its multiply-adds in
    /// copied floats: negligible at 1,024 columns or more. Measured on two Zen 3 cores against the shared-packing
    /// driver: fc6's weight gradient (4096×9216×64) 101–124 → 121–131 GFLOP/s. Each element of C gets the same
    /// kernel calls in the same order as in the serial driver, so the bits do not change.
    /// </summary>
    internal static void MultiplyInColumnParts(bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb, float* c, int ldc,
        bool accumulate, Isa isa, int parts)
    {
        int nr = TileShape(isa, m).Columns;
        // Whole NR panels per part, so that only the last part has an edge panel.
        int width = Ceil(Ceil(n, parts), nr) * nr;
        var (aAddress, bAddress, cAddress) = ((nint)a, (nint)b, (nint)c);
        Parallel.For(0, parts, part =>
        {
            int j0 = part * width, cols = Math.Min(width, n - j0);
            if (cols <= 0) return;
            float* bPart = (float*)bAddress + (tb ? (nint)j0 * ldb : j0);
            new Driver(ta, tb, m, cols, k, (float*)aAddress, lda, bPart, ldb, (float*)cAddress + j0, ldc, accumulate, false, isa).Run();
        });
    }

    /// <summary>
    /// Rows and columns of C per micro-kernel call. On AVX2, a product of at most <see cref="PanelModeRows"/> rows runs
    /// 4×24 when that pads fewer rows of A than 6×16 (64 rows in 6-row panels compute 66 and leave the last panel to
    /// the slower edge path): measured on two Zen 3 cores, fc6 at batch 64 went from 79% to 88% of dnnl_sgemm and its
    /// input gradient from 83% to 96%. Taller products keep 6×16, which measured a few points faster on fc6's weight
    /// gradient (k = 64) and where a padded panel is a negligible share of the rows. The kernel shape does not change
    /// any element's arithmetic, so the bits are the same either way.
    /// </summary>
    internal static (int Rows, int Columns) TileShape(Isa isa, int m) => isa switch
    {
        Isa.Vector512 => (8, 32),
        Isa.Vector256 => m <= PanelModeRows && Ceil(m, 4) * 4 < Ceil(m, 6) * 6 ? (4, 24) : (6, 16),
        _ => (4, 4),
    };

    private static void CheckOperand(int length, int rows, int cols, int ld, string name, string ldName)
    {
        if (ld < Math.Max(1, cols))
            throw new ArgumentOutOfRangeException(ldName, ld, $"Leading dimension must be at least max(1, {cols}).");
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < need)
            throw new ArgumentException(
                $"Span of length {length} is too short for a {rows}×{cols} matrix with leading dimension {ld} (needs {need}).", name);
    }

    private static int Ceil(int x, int y) => (x + y - 1) / y;

    /// One GEMM call: owns the packing scratch and hands out disjoint work items per phase.
    private sealed class Driver
    {
        private enum Phase { PackPanelA, ComputePanel, PackBlock, ComputeBlock }

        private readonly bool _ta, _tb, _accumulate, _parallel, _prefetchB;
        private readonly int _m, _n, _k, _lda, _ldb, _ldc, _mr, _nr, _mc, _threads, _panelGroup;
        private readonly float* _a, _b, _c;
        private readonly delegate*<nint, float*, float*, float*, nint, bool, void> _kernel, _halfKernel;
        private float* _packA, _packB;
        // Current step: columns [jc, jc+nc), k range [pc, pc+kc) (a k super-block in panel mode),
        // rows [ic, ic+mb); compute tasks cover _chunkPanels NR panels (× _chunkRows rows in panel mode).
        private int _jc, _nc, _pc, _kc, _ic, _mb, _mPad, _chunkRows, _chunkPanels, _bPackTasks, _packChunk;

        public Driver(bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb,
            float* c, int ldc, bool accumulate, bool parallel, Isa isa)
        {
            (_ta, _tb, _m, _n, _k, _lda, _ldb, _ldc, _accumulate, _parallel) =
                (ta, tb, m, n, k, lda, ldb, ldc, accumulate, parallel);
            _a = a;
            _b = b;
            _c = c;
            _threads = parallel ? Environment.ProcessorCount : 1;
            (_mr, _nr) = TileShape(isa, m);
            _mc = _mr * MCPanels;
            _kernel = (_mr, _nr) switch { (8, 32) => &Kernel8x32, (6, 16) => &Kernel6x16, (4, 24) => &Kernel4x24, _ => &Kernel4x4 };
            _halfKernel = isa == Isa.Vector512 ? &Kernel8x16 : null;
            _prefetchB = (long)k * n > PrefetchBFloats;
            // Grouped packing streams B's rows; past the prefetch threshold (B far beyond L3) the panel-by-panel path with
            // explicit prefetches measured faster (fc6: 80 against 65 GFLOP/s on one Zen 3 core).
            _panelGroup = isa == Isa.Vector256 && !_prefetchB ? PanelGroupColumnsAvx2 / _nr : 1;
        }

        public void Run()
        {
            bool panelMode = _m <= PanelModeRows;
            int mPad = Ceil(Math.Min(_m, MB), _mr) * _mr;
            int aLen = panelMode ? mPad * Math.Min(PanelKBlock(mPad), Ceil(_k, KC) * KC) : mPad * KC;
            int bLen = panelMode ? 0 : Ceil(Math.Min(_n, NC), _nr) * _nr * KC;
            float[] bufA = ArrayPool<float>.Shared.Rent(aLen + 16), bufB = ArrayPool<float>.Shared.Rent(bLen + 16);
            try
            {
                fixed (float* pA = bufA, pB = bufB)
                {
                    // 64-byte alignment: every zmm load of a packed panel touches exactly one cache line.
                    _packA = GemmPacking.Align64(pA);
                    _packB = GemmPacking.Align64(pB);
                    if (panelMode) RunPanelMode();
                    else RunBlockMode();
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(bufA);
                ArrayPool<float>.Shared.Return(bufB);
            }
        }

        // Largest multiple of KC such that mPad × kBlock packed floats fit the panel-mode A budget.
        private static int PanelKBlock(int mPad) => Math.Max(1, PanelModeAFloats / mPad / KC) * KC;

        private void RunPanelMode()
        {
            (_ic, _mb, _jc, _nc) = (0, _m, 0, _n);
            _mPad = Ceil(_m, _mr) * _mr;
            int aPanels = _mPad / _mr, bPanels = Ceil(_n, _nr), kBlock = PanelKBlock(_mPad), rowChunks = 1, colChunks = 1;
            if (_parallel)
            {
                // ~4 tasks per thread, each as square as the shape allows: per k block a task streams
                // rows×KC of A and KC×cols of B for rows×cols×KC FMAs, so square blocks move least data
                // (splitting only columns starves A reuse when n is small, e.g. 384×169).
                double side = Math.Sqrt((double)_m * _n / (4 * _threads));
                rowChunks = Math.Clamp((int)Math.Round(_m / side), 1, aPanels);
                colChunks = Math.Clamp(Ceil(4 * _threads, rowChunks), 1, bPanels);
            }
            _chunkRows = Ceil(aPanels, rowChunks) * _mr;
            _chunkPanels = Ceil(bPanels, colChunks);
            int tasks = Ceil(_m, _chunkRows) * Ceil(bPanels, _chunkPanels);
            for (_pc = 0; _pc < _k; _pc += kBlock)
            {
                _kc = Math.Min(kBlock, _k - _pc);
                int packItems = aPanels * Ceil(_kc, KC);
                _packChunk = Math.Max(1, packItems / (4 * _threads));
                ForEach(Ceil(packItems, _packChunk), Phase.PackPanelA, (long)_mPad * _kc >= ParallelPackFloats);
                ForEach(tasks, Phase.ComputePanel, true);
            }
        }

        private void RunBlockMode()
        {
            for (_jc = 0; _jc < _n; _jc += NC)
            {
                _nc = Math.Min(NC, _n - _jc);
                for (_pc = 0; _pc < _k; _pc += KC)
                {
                    _kc = Math.Min(KC, _k - _pc);
                    for (_ic = 0; _ic < _m; _ic += MB)
                    {
                        _mb = Math.Min(MB, _m - _ic);
                        int aPanels = Ceil(_mb, _mr), bPanels = Ceil(_nc, _nr), mTiles = Ceil(_mb, _mc);
                        // B is packed in the same fork/join as the first row block's A.
                        _packChunk = Math.Max(1, (aPanels + bPanels) / (4 * _threads));
                        _bPackTasks = _ic == 0 ? Ceil(bPanels, _packChunk) : 0;
                        ForEach(_bPackTasks + Ceil(aPanels, _packChunk), Phase.PackBlock,
                            (long)(aPanels * _mr + (_ic == 0 ? _nc : 0)) * _kc >= ParallelPackFloats);
                        // Split columns only as far as needed for ~4 tasks per thread (load balance).
                        _chunkPanels = _parallel ? Ceil(bPanels, Math.Clamp(Ceil(4 * _threads, mTiles), 1, bPanels)) : bPanels;
                        ForEach(mTiles * Ceil(bPanels, _chunkPanels), Phase.ComputeBlock, true);
                    }
                }
            }
        }

        private void ForEach(int count, Phase phase, bool worthThreads)
        {
            if (_parallel && worthThreads && count > 1) Parallel.For(0, count, task => Step(phase, task));
            else for (int task = 0; task < count; task++) Step(phase, task);
        }

        private void Step(Phase phase, int task)
        {
            switch (phase)
            {
                case Phase.PackPanelA: PackPanelModeA(task); break;
                case Phase.ComputePanel: ComputePanelMode(task); break;
                case Phase.PackBlock: PackBlockMode(task); break;
                default: ComputeBlockMode(task); break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackPanelModeA(int task)
        {
            int aPanels = _mPad / _mr, end = Math.Min((task + 1) * _packChunk, aPanels * Ceil(_kc, KC));
            for (int t = task * _packChunk; t < end; t++)
            {
                // Item t = (k block t / aPanels, row panel t % aPanels); each k block holds mPad × kc floats.
                int p0 = t / aPanels * KC, i = t % aPanels * _mr, kc = Math.Min(KC, _kc - p0);
                GemmPacking.PackA(_ta, _a, _lda, i, Math.Min(_mr, _m - i), _pc + p0, kc, _mr,
                    _packA + (nint)p0 * _mPad + (nint)i * kc);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void ComputePanelMode(int task)
        {
            if (_panelGroup > 1)
            {
                ComputePanelModeGrouped(task);
                return;
            }
            float* tile = stackalloc float[8 * 32 + 16], bPanel = stackalloc float[KC * 32 + 16];
            tile = GemmPacking.Align64(tile);
            bPanel = GemmPacking.Align64(bPanel);
            int colChunks = Ceil(Ceil(_n, _nr), _chunkPanels), i0 = task / colChunks * _chunkRows, i1 = Math.Min(_m, i0 + _chunkRows);
            int jpFirst = task % colChunks * _chunkPanels, jpEnd = Math.Min(Ceil(_n, _nr), jpFirst + _chunkPanels);
            for (int p0 = 0; p0 < _kc; p0 += KC)
            {
                int kc = Math.Min(KC, _kc - p0);
                bool add = _accumulate || _pc + p0 > 0;
                for (int jp = jpFirst; jp < jpEnd; jp++)
                {
                    int j = jp * _nr, cols = Math.Min(_nr, _n - j);
                    GemmPacking.PackB(_tb, _b, _ldb, j, cols, _pc + p0, kc, _nr, bPanel);
                    // Source of the panel this task packs next: same k block one panel right, or the
                    // first panel of the next k block.
                    (int nj, int np0) = jp + 1 < jpEnd ? ((jp + 1) * _nr, p0) : (jpFirst * _nr, p0 + KC);
                    GemmPacking.Prefetch next = default;
                    if (_prefetchB && np0 < _kc)
                    {
                        int nCols = Math.Min(_nr, _n - nj), nKc = Math.Min(KC, _kc - np0);
                        next = _tb
                            ? new GemmPacking.Prefetch(_b + (nint)nj * _ldb + _pc + np0, _ldb, nCols, nKc)
                            : new GemmPacking.Prefetch(_b + (nint)(_pc + np0) * _ldb + nj, _ldb, nKc, nCols);
                    }
                    Sweep(_packA + (nint)p0 * _mPad, i0, i1, bPanel, cols, kc, add, _c + j, tile, next);
                }
            }
        }

        /// Panel mode with B packed a group of panels at a time (L2-resident): each source row of the group is one
        /// sequential run, which the hardware prefetcher follows, where panel-by-panel packing touches kc rows per
        /// 64 bytes and waits on memory for each.
        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void ComputePanelModeGrouped(int task)
        {
            float* tile = stackalloc float[8 * 32 + 16], bGroup = stackalloc float[KC * _nr * _panelGroup + 16];
            tile = GemmPacking.Align64(tile);
            bGroup = GemmPacking.Align64(bGroup);
            int bPanels = Ceil(_n, _nr), colChunks = Ceil(bPanels, _chunkPanels), i0 = task / colChunks * _chunkRows, i1 = Math.Min(_m, i0 + _chunkRows);
            int jpFirst = task % colChunks * _chunkPanels, jpEnd = Math.Min(bPanels, jpFirst + _chunkPanels);
            for (int p0 = 0; p0 < _kc; p0 += KC)
            {
                int kc = Math.Min(KC, _kc - p0);
                bool add = _accumulate || _pc + p0 > 0;
                for (int jg = jpFirst; jg < jpEnd; jg += _panelGroup)
                {
                    int jgEnd = Math.Min(jpEnd, jg + _panelGroup);
                    GemmPacking.PackB(_tb, _b, _ldb, jg * _nr, Math.Min(jgEnd * _nr, _n) - jg * _nr, _pc + p0, kc, _nr, bGroup);
                    // The next group's source (same k block one group right, or the first group of the next k block),
                    // fetched a slice per panel while this group is multiplied: B is read once per row chunk, straight
                    // from memory, and with few rows of A there is too little work per group to hide the misses.
                    (int nj, int np0) = jgEnd < jpEnd ? (jgEnd * _nr, p0) : (jpFirst * _nr, p0 + KC);
                    int nCols = Math.Min(_panelGroup * _nr, _n - nj), nKc = Math.Min(KC, _kc - np0);
                    // Rows of A in blocks of MC, so that a block's packed A and the group's packed B stay in L2 together.
                    int sweeps = Ceil(i1 - i0, _mc) * (jgEnd - jg), sweep = 0;
                    for (int ib = i0; ib < i1; ib += _mc)
                    for (int jp = jg; jp < jgEnd; jp++, sweep++)
                    {
                        int j = jp * _nr;
                        GemmPacking.Prefetch next = default;
                        if (np0 < _kc)
                        {
                            int rows = _tb ? nCols : nKc, r0 = sweep * rows / sweeps, r1 = (sweep + 1) * rows / sweeps;
                            next = _tb
                                ? new GemmPacking.Prefetch(_b + (nint)(nj + r0) * _ldb + _pc + np0, _ldb, r1 - r0, nKc)
                                : new GemmPacking.Prefetch(_b + (nint)(_pc + np0 + r0) * _ldb + nj, _ldb, r1 - r0, nCols);
                        }
                        Sweep(_packA + (nint)p0 * _mPad, ib, Math.Min(i1, ib + _mc), bGroup + (nint)(jp - jg) * _nr * kc, Math.Min(_nr, _n - j), kc, add,
                            _c + j, tile, next);
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void PackBlockMode(int task)
        {
            bool isB = task < _bPackTasks;
            int first = (isB ? task : task - _bPackTasks) * _packChunk;
            int end = Math.Min(first + _packChunk, isB ? Ceil(_nc, _nr) : Ceil(_mb, _mr));
            if (isB)
            {
                int j = first * _nr;
                GemmPacking.PackB(_tb, _b, _ldb, _jc + j, Math.Min(end * _nr, _nc) - j, _pc, _kc, _nr, _packB + (nint)j * _kc);
                return;
            }
            for (int panel = first; panel < end; panel++)
            {
                int i = panel * _mr;
                GemmPacking.PackA(_ta, _a, _lda, _ic + i, Math.Min(_mr, _mb - i), _pc, _kc, _mr, _packA + (nint)i * _kc);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
        private void ComputeBlockMode(int task)
        {
            float* tile = stackalloc float[8 * 32 + 16];
            tile = GemmPacking.Align64(tile);
            int jChunks = Ceil(Ceil(_nc, _nr), _chunkPanels), it = task / jChunks, jt = task - it * jChunks;
            int i0 = it * _mc, i1 = Math.Min(_mb, i0 + _mc), jp1 = Math.Min(Ceil(_nc, _nr), (jt + 1) * _chunkPanels);
            for (int jp = jt * _chunkPanels; jp < jp1; jp++)
            {
                int j = jp * _nr;
                Sweep(_packA, i0, i1, _packB + (nint)j * _kc, Math.Min(_nr, _nc - j), _kc, _accumulate || _pc > 0,
                    _c + (nint)_ic * _ldc + _jc + j, tile, default);
            }
        }

        /// Runs the micro-kernel down rows [i0, i1) of the current row block against one packed B panel.
        /// aBlock holds MR-row panels at aBlock + i*kc; c points at C[row block start, panel column].
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Sweep(float* aBlock, int i0, int i1, float* bPanel, int cols, int kc, bool add, float* c, float* tile,
            GemmPacking.Prefetch next)
        {
            var kernel = cols <= _nr / 2 && _halfKernel != null ? _halfKernel : _kernel;
            int calls = Ceil(i1 - i0, _mr);
            for (int i = i0, call = 0; i < i1; i += _mr, call++)
            {
                next.Issue(call * next.Rows / calls, (call + 1) * next.Rows / calls);
                int rows = Math.Min(_mr, _mb - i);
                float* ap = aBlock + (nint)i * kc, cp = c + (nint)i * _ldc;
                if (rows == _mr && cols == _nr)
                {
                    kernel(kc, ap, bPanel, cp, _ldc, add);
                    continue;
                }
                // Edge tile: same kernel into a scratch tile, then write back only the valid part.
                // The arithmetic (sum over kc, then one add to C) matches the full-tile path exactly.
                kernel(kc, ap, bPanel, tile, _nr, false);
                for (int r = 0; r < rows; r++)
                {
                    float* dst = cp + (nint)r * _ldc, src = tile + r * _nr;
                    for (int q = 0; q < cols; q++) dst[q] = add ? dst[q] + src[q] : src[q];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), x;
            x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]); c60 = Avx512F.FusedMultiplyAdd(x, b0, c60); c61 = Avx512F.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]); c70 = Avx512F.FusedMultiplyAdd(x, b0, c70); c71 = Avx512F.FusedMultiplyAdd(x, b1, c71);
            a += 8;
            b += 32;
        }
        Store512(c + 0 * ldc, add, c00); Store512(c + 0 * ldc + 16, add, c01);
        Store512(c + 1 * ldc, add, c10); Store512(c + 1 * ldc + 16, add, c11);
        Store512(c + 2 * ldc, add, c20); Store512(c + 2 * ldc + 16, add, c21);
        Store512(c + 3 * ldc, add, c30); Store512(c + 3 * ldc + 16, add, c31);
        Store512(c + 4 * ldc, add, c40); Store512(c + 4 * ldc + 16, add, c41);
        Store512(c + 5 * ldc, add, c50); Store512(c + 5 * ldc + 16, add, c51);
        Store512(c + 6 * ldc, add, c60); Store512(c + 6 * ldc + 16, add, c61);
        Store512(c + 7 * ldc, add, c70); Store512(c + 7 * ldc + 16, add, c71);
    }

    // Right-edge panels with ≤ NR/2 valid columns: one zmm per row (8 chains, still enough to cover
    // FMA latency) instead of computing a half-empty second vector. B keeps the 32-wide packed stride.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x16(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector512<float> c4 = default, c5 = default, c6 = default, c7 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Avx512F.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            a += 8;
            b += 32;
        }
        Store512(c, add, c0); Store512(c + ldc, add, c1); Store512(c + 2 * ldc, add, c2); Store512(c + 3 * ldc, add, c3);
        Store512(c + 4 * ldc, add, c4); Store512(c + 5 * ldc, add, c5); Store512(c + 6 * ldc, add, c6); Store512(c + 7 * ldc, add, c7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, bool add, Vector512<float> v) => Vector512.Store(add ? v + Vector512.Load(c) : v, c);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8), x;
            x = Vector256.Create(a[0]); c00 = Fma256(x, b0, c00); c01 = Fma256(x, b1, c01);
            x = Vector256.Create(a[1]); c10 = Fma256(x, b0, c10); c11 = Fma256(x, b1, c11);
            x = Vector256.Create(a[2]); c20 = Fma256(x, b0, c20); c21 = Fma256(x, b1, c21);
            x = Vector256.Create(a[3]); c30 = Fma256(x, b0, c30); c31 = Fma256(x, b1, c31);
            x = Vector256.Create(a[4]); c40 = Fma256(x, b0, c40); c41 = Fma256(x, b1, c41);
            x = Vector256.Create(a[5]); c50 = Fma256(x, b0, c50); c51 = Fma256(x, b1, c51);
            a += 6;
            b += 16;
        }
        Store256(c, add, c00); Store256(c + 8, add, c01); Store256(c + ldc, add, c10); Store256(c + ldc + 8, add, c11);
        Store256(c + 2 * ldc, add, c20); Store256(c + 2 * ldc + 8, add, c21); Store256(c + 3 * ldc, add, c30); Store256(c + 3 * ldc + 8, add, c31);
        Store256(c + 4 * ldc, add, c40); Store256(c + 4 * ldc + 8, add, c41); Store256(c + 5 * ldc, add, c50); Store256(c + 5 * ldc + 8, add, c51);
    }

    // AVX2 alternative for products of at most 512 rows that 4 divides and 6 does not (64, 128, 256; see TileShape): 12
    // accumulators as in 6×16, three B vectors and one broadcast make 16 ymm registers, and a k step reads 3 vectors
    // and 4 scalars of packed operands for its 12 FMAs where 6×16 reads 2 and 6.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x24(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8), b2 = Vector256.Load(b + 16), x;
            x = Vector256.Create(a[0]); c00 = Fma256(x, b0, c00); c01 = Fma256(x, b1, c01); c02 = Fma256(x, b2, c02);
            x = Vector256.Create(a[1]); c10 = Fma256(x, b0, c10); c11 = Fma256(x, b1, c11); c12 = Fma256(x, b2, c12);
            x = Vector256.Create(a[2]); c20 = Fma256(x, b0, c20); c21 = Fma256(x, b1, c21); c22 = Fma256(x, b2, c22);
            x = Vector256.Create(a[3]); c30 = Fma256(x, b0, c30); c31 = Fma256(x, b1, c31); c32 = Fma256(x, b2, c32);
            a += 4;
            b += 24;
        }
        Store256(c, add, c00); Store256(c + 8, add, c01); Store256(c + 16, add, c02);
        Store256(c + ldc, add, c10); Store256(c + ldc + 8, add, c11); Store256(c + ldc + 16, add, c12);
        Store256(c + 2 * ldc, add, c20); Store256(c + 2 * ldc + 8, add, c21); Store256(c + 2 * ldc + 16, add, c22);
        Store256(c + 3 * ldc, add, c30); Store256(c + 3 * ldc + 8, add, c31); Store256(c + 3 * ldc + 16, add, c32);
    }

    // Without FMA hardware a separate multiply and add is still exact-per-operation and deterministic.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> x, Vector256<float> y, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : acc + x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, bool add, Vector256<float> v) => Vector256.Store(add ? v + Vector256.Load(c) : v, c);

    private static void Kernel4x4(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        float* acc = stackalloc float[16];
        new Span<float>(acc, 16).Clear();
        for (nint p = 0; p < kc; p++, a += 4, b += 4)
            for (int r = 0; r < 4; r++)
                for (int q = 0; q < 4; q++)
                    acc[r * 4 + q] += a[r] * b[q];
        for (int r = 0; r < 4; r++)
            for (int q = 0; q < 4; q++)
                c[r * ldc + q] = add ? c[r * ldc + q] + acc[r * 4 + q] : acc[r * 4 + q];
    }
}
