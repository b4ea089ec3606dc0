// Single-precision GEMM:  C = (accumulate ? C : 0) + op(A)·op(B),  op(A) m×k, op(B) k×n, all row-major.
//
// Structure (the classic Goto/BLIS scheme, written from scratch):
//   for jc in n step NC            B block of NC columns
//     for pc in k step KC          fixed k order: every C element sums its k blocks in the same sequence
//       pack op(B)[pc.., jc..] into NR-column panels (kc×NR each, row p contiguous)
//       for ic in m step MB        bounds the A scratch for very tall A
//         pack op(A)[ic.., pc..] into MR-row panels (kc×MR each, column p contiguous)
//         for each task = (MC rows) × (chunk of NR panels) — in parallel, tasks are disjoint C blocks
//           for jr: for ir: micro-kernel MR×NR over kc, then C (+)= tile
//
// Micro-kernel (AVX-512): MR=6 rows × NR=32 columns (two zmm vectors) = 12 accumulators + 2 B vectors
// + 1 broadcast, 15 of the 32 zmm registers. Per k step it issues 12 FMAs against 2 loads and 6
// broadcasts; Zen 5 retires 2 FMAs/cycle with 4-cycle latency, so ≥8 independent chains keep both
// pipes busy, and the 12 chains leave slack for the C update. AVX2 fallback: 6×16 (two ymm) =
// 12 accumulators in 16 ymm registers. Scalar fallback: 4×4.
//
// Blocking: KC=256 keeps the kc×NR B micro-panel (32 KiB) in the 48 KiB L1 while MR-row A panels
// stream past it; MC=144 rows × KC = 144 KiB of packed A stays resident in the (1 MiB) L2 across all
// NR panels of a task; NC=4096 columns × KC = 4 MiB of packed B lives in L3 and is shared by both cores.
//
// Determinism: each C element is produced by exactly one micro-kernel call per k block, with the same
// packed operands and the same FMA order regardless of how tasks are scheduled, and k is never split
// across threads, so results are bitwise identical for any thread count and for parallel=false.
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

    internal static readonly int KC = Env("GEMM_KC", 256);
    internal static readonly int MCPanels = Env("GEMM_MCP", 24);
    internal static readonly int NC = Env("GEMM_NC", 4096);
    internal static readonly int XMR = Env("GEMM_MR", 6);
    internal static readonly int MB = Env("GEMM_MB", 1728);
    private static int Env(string name, int dflt) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : dflt;

    // Below this many multiply-adds a second thread costs more in hand-off than it saves.
    private const long ParallelThreshold = 1L << 21;

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
            new Driver(transposeA, transposeB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, useThreads, isa).Run();
    }

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
        private readonly bool _ta, _tb, _accumulate, _parallel;
        private readonly int _m, _n, _k, _lda, _ldb, _ldc, _mr, _nr, _mc;
        private readonly float* _a, _b, _c;
        private readonly delegate*<nint, float*, float*, float*, nint, bool, void> _kernel;
        private readonly Action<int> _packStep, _computeStep;
        private float* _packA, _packB;
        // Current block: columns [jc, jc+nc), k range [pc, pc+kc), rows [ic, ic+mb).
        private int _jc, _nc, _pc, _kc, _ic, _mb;
        private bool _add;
        private int _bPackTasks, _packChunk, _jChunks, _panelsPerChunk;

        public Driver(bool ta, bool tb, int m, int n, int k, float* a, int lda, float* b, int ldb,
            float* c, int ldc, bool accumulate, bool parallel, Isa isa)
        {
            (_ta, _tb, _m, _n, _k, _lda, _ldb, _ldc, _accumulate, _parallel) =
                (ta, tb, m, n, k, lda, ldb, ldc, accumulate, parallel);
            _a = a;
            _b = b;
            _c = c;
            (_mr, _nr) = isa switch { Isa.Vector512 => (XMR, 32), Isa.Vector256 => (6, 16), _ => (4, 4) };
            _kernel = isa switch
            {
                Isa.Vector512 => XMR switch { 8 => &Kernel8x32, 10 => &Kernel10x32, 12 => &Kernel12x32, 14 => &Kernel14x32, _ => &Kernel6x32 },
                Isa.Vector256 => &Kernel6x16,
                _ => &Kernel4x4,
            };
            _mc = _mr * MCPanels;
            _packStep = PackStep;
            _computeStep = ComputeStep;
        }

        public void Run()
        {
            int bLen = Ceil(Math.Min(_n, NC), _nr) * _nr * KC, aLen = Ceil(Math.Min(_m, MB), _mr) * _mr * KC;
            float[] bufA = ArrayPool<float>.Shared.Rent(aLen), bufB = ArrayPool<float>.Shared.Rent(bLen);
            try
            {
                fixed (float* pA = bufA, pB = bufB)
                {
                    _packA = pA;
                    _packB = pB;
                    for (_jc = 0; _jc < _n; _jc += NC)
                    {
                        _nc = Math.Min(NC, _n - _jc);
                        for (_pc = 0; _pc < _k; _pc += KC)
                        {
                            _kc = Math.Min(KC, _k - _pc);
                            _add = _accumulate || _pc > 0;
                            for (_ic = 0; _ic < _m; _ic += MB)
                            {
                                _mb = Math.Min(MB, _m - _ic);
                                PlanAndRun();
                            }
                        }
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(bufA);
                ArrayPool<float>.Shared.Return(bufB);
            }
        }

        private void PlanAndRun()
        {
            int aPanels = Ceil(_mb, _mr), bPanels = Ceil(_nc, _nr), mTiles = Ceil(_mb, _mc);
            int threads = _parallel ? Environment.ProcessorCount : 1;
            // Packing: B once per (jc, pc) together with the first A block; a few chunks per thread.
            _packChunk = Math.Max(1, (aPanels + bPanels) / (4 * threads));
            _bPackTasks = _ic == 0 ? Ceil(bPanels, _packChunk) : 0;
            ForEach(_bPackTasks + Ceil(aPanels, _packChunk), _packStep);
            // Compute: split columns only as far as needed for ~4 tasks per thread (load balance).
            _jChunks = Math.Clamp(Ceil(4 * threads, mTiles), 1, bPanels);
            if (!_parallel) _jChunks = 1;
            _panelsPerChunk = Ceil(bPanels, _jChunks);
            _jChunks = Ceil(bPanels, _panelsPerChunk);
            ForEach(mTiles * _jChunks, _computeStep);
        }

        private void ForEach(int count, Action<int> body)
        {
            if (_parallel && count > 1) Parallel.For(0, count, body);
            else for (int i = 0; i < count; i++) body(i);
        }

        private void PackStep(int task)
        {
            bool isB = task < _bPackTasks;
            int first = (isB ? task : task - _bPackTasks) * _packChunk;
            int end = Math.Min(first + _packChunk, isB ? Ceil(_nc, _nr) : Ceil(_mb, _mr));
            for (int panel = first; panel < end; panel++)
            {
                if (isB)
                {
                    int j = panel * _nr;
                    GemmPacking.PackB(_tb, _b, _ldb, _jc + j, Math.Min(_nr, _nc - j), _pc, _kc, _nr, _packB + (nint)j * _kc);
                }
                else
                {
                    int i = panel * _mr;
                    GemmPacking.PackA(_ta, _a, _lda, _ic + i, Math.Min(_mr, _mb - i), _pc, _kc, _mr, _packA + (nint)i * _kc);
                }
            }
        }

        private void ComputeStep(int task)
        {
            int it = task / _jChunks, jt = task - it * _jChunks;
            int i0 = it * _mc, i1 = Math.Min(_mb, i0 + _mc);
            int jp0 = jt * _panelsPerChunk, jp1 = Math.Min(Ceil(_nc, _nr), jp0 + _panelsPerChunk);
            float* tile = stackalloc float[14 * 32];
            for (int jp = jp0; jp < jp1; jp++)
            {
                int j = jp * _nr, cols = Math.Min(_nr, _nc - j);
                float* bp = _packB + (nint)j * _kc;
                for (int i = i0; i < i1; i += _mr)
                {
                    int rows = Math.Min(_mr, _mb - i);
                    float* ap = _packA + (nint)i * _kc;
                    float* cp = _c + (nint)(_ic + i) * _ldc + _jc + j;
                    if (rows == _mr && cols == _nr)
                    {
                        _kernel(_kc, ap, bp, cp, _ldc, _add);
                        continue;
                    }
                    // Edge tile: same kernel into a scratch tile, then write back only the valid part.
                    // The arithmetic (sum over kc, then one add to C) matches the full-tile path exactly.
                    _kernel(_kc, ap, bp, tile, _nr, false);
                    for (int r = 0; r < rows; r++)
                    {
                        float* dst = cp + (nint)r * _ldc, src = tile + r * _nr;
                        for (int q = 0; q < cols; q++) dst[q] = _add ? dst[q] + src[q] : src[q];
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x32(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16), x;
            x = Vector512.Create(a[0]); c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]); c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]); c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]); c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]); c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]); c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            a += 6;
            b += 32;
        }
        Store512(c, add, c00, c01);
        Store512(c + ldc, add, c10, c11);
        Store512(c + 2 * ldc, add, c20, c21);
        Store512(c + 3 * ldc, add, c30, c31);
        Store512(c + 4 * ldc, add, c40, c41);
        Store512(c + 5 * ldc, add, c50, c51);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
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
        Store512(c + 0 * ldc, add, c00, c01);
        Store512(c + 1 * ldc, add, c10, c11);
        Store512(c + 2 * ldc, add, c20, c21);
        Store512(c + 3 * ldc, add, c30, c31);
        Store512(c + 4 * ldc, add, c40, c41);
        Store512(c + 5 * ldc, add, c50, c51);
        Store512(c + 6 * ldc, add, c60, c61);
        Store512(c + 7 * ldc, add, c70, c71);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel10x32(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
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
            x = Vector512.Create(a[8]); c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            a += 10;
            b += 32;
        }
        Store512(c + 0 * ldc, add, c00, c01);
        Store512(c + 1 * ldc, add, c10, c11);
        Store512(c + 2 * ldc, add, c20, c21);
        Store512(c + 3 * ldc, add, c30, c31);
        Store512(c + 4 * ldc, add, c40, c41);
        Store512(c + 5 * ldc, add, c50, c51);
        Store512(c + 6 * ldc, add, c60, c61);
        Store512(c + 7 * ldc, add, c70, c71);
        Store512(c + 8 * ldc, add, c80, c81);
        Store512(c + 9 * ldc, add, c90, c91);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel12x32(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
        Vector512<float> c100 = default, c101 = default;
        Vector512<float> c110 = default, c111 = default;
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
            x = Vector512.Create(a[8]); c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); c100 = Avx512F.FusedMultiplyAdd(x, b0, c100); c101 = Avx512F.FusedMultiplyAdd(x, b1, c101);
            x = Vector512.Create(a[11]); c110 = Avx512F.FusedMultiplyAdd(x, b0, c110); c111 = Avx512F.FusedMultiplyAdd(x, b1, c111);
            a += 12;
            b += 32;
        }
        Store512(c + 0 * ldc, add, c00, c01);
        Store512(c + 1 * ldc, add, c10, c11);
        Store512(c + 2 * ldc, add, c20, c21);
        Store512(c + 3 * ldc, add, c30, c31);
        Store512(c + 4 * ldc, add, c40, c41);
        Store512(c + 5 * ldc, add, c50, c51);
        Store512(c + 6 * ldc, add, c60, c61);
        Store512(c + 7 * ldc, add, c70, c71);
        Store512(c + 8 * ldc, add, c80, c81);
        Store512(c + 9 * ldc, add, c90, c91);
        Store512(c + 10 * ldc, add, c100, c101);
        Store512(c + 11 * ldc, add, c110, c111);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel14x32(nint kc, float* a, float* b, float* c, nint ldc, bool add)
    {
        Vector512<float> c00 = default, c01 = default;
        Vector512<float> c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default;
        Vector512<float> c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default;
        Vector512<float> c70 = default, c71 = default;
        Vector512<float> c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default;
        Vector512<float> c100 = default, c101 = default;
        Vector512<float> c110 = default, c111 = default;
        Vector512<float> c120 = default, c121 = default;
        Vector512<float> c130 = default, c131 = default;
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
            x = Vector512.Create(a[8]); c80 = Avx512F.FusedMultiplyAdd(x, b0, c80); c81 = Avx512F.FusedMultiplyAdd(x, b1, c81);
            x = Vector512.Create(a[9]); c90 = Avx512F.FusedMultiplyAdd(x, b0, c90); c91 = Avx512F.FusedMultiplyAdd(x, b1, c91);
            x = Vector512.Create(a[10]); c100 = Avx512F.FusedMultiplyAdd(x, b0, c100); c101 = Avx512F.FusedMultiplyAdd(x, b1, c101);
            x = Vector512.Create(a[11]); c110 = Avx512F.FusedMultiplyAdd(x, b0, c110); c111 = Avx512F.FusedMultiplyAdd(x, b1, c111);
            x = Vector512.Create(a[12]); c120 = Avx512F.FusedMultiplyAdd(x, b0, c120); c121 = Avx512F.FusedMultiplyAdd(x, b1, c121);
            x = Vector512.Create(a[13]); c130 = Avx512F.FusedMultiplyAdd(x, b0, c130); c131 = Avx512F.FusedMultiplyAdd(x, b1, c131);
            a += 14;
            b += 32;
        }
        Store512(c + 0 * ldc, add, c00, c01);
        Store512(c + 1 * ldc, add, c10, c11);
        Store512(c + 2 * ldc, add, c20, c21);
        Store512(c + 3 * ldc, add, c30, c31);
        Store512(c + 4 * ldc, add, c40, c41);
        Store512(c + 5 * ldc, add, c50, c51);
        Store512(c + 6 * ldc, add, c60, c61);
        Store512(c + 7 * ldc, add, c70, c71);
        Store512(c + 8 * ldc, add, c80, c81);
        Store512(c + 9 * ldc, add, c90, c91);
        Store512(c + 10 * ldc, add, c100, c101);
        Store512(c + 11 * ldc, add, c110, c111);
        Store512(c + 12 * ldc, add, c120, c121);
        Store512(c + 13 * ldc, add, c130, c131);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(float* c, bool add, Vector512<float> v0, Vector512<float> v1)
    {
        if (add)
        {
            v0 += Vector512.Load(c);
            v1 += Vector512.Load(c + 16);
        }
        Vector512.Store(v0, c);
        Vector512.Store(v1, c + 16);
    }

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
        Store256(c, add, c00, c01);
        Store256(c + ldc, add, c10, c11);
        Store256(c + 2 * ldc, add, c20, c21);
        Store256(c + 3 * ldc, add, c30, c31);
        Store256(c + 4 * ldc, add, c40, c41);
        Store256(c + 5 * ldc, add, c50, c51);
    }

    // Without FMA hardware a separate multiply and add is still exact-per-operation and deterministic.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> x, Vector256<float> y, Vector256<float> acc)
        => Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : acc + x * y;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(float* c, bool add, Vector256<float> v0, Vector256<float> v1)
    {
        if (add)
        {
            v0 += Vector256.Load(c);
            v1 += Vector256.Load(c + 8);
        }
        Vector256.Store(v0, c);
        Vector256.Store(v1, c + 8);
    }

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
