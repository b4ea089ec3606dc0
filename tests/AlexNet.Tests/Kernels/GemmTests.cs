using AlexNet.Kernels;
using Xunit;

namespace AlexNet.Tests.Kernels;

/// Gemm (packed, register-blocked) against GemmReference (double-accumulating triple loop).
/// Shapes straddle the blocking edges: MR×NR = 8×32 (AVX-512), 6×16 or 4×24 (AVX2), 4×4 (scalar); KC=256;
/// panel mode for m ≤ 512 (k super-block of 4096 when m pads to 512); block mode above that with
/// MC = 24 MR panels (192 rows for AVX-512), MB=1536 rows and NC=4096 columns.
public class GemmTests
{
    // (m, n, k): tiny and degenerate (k=1, n=1, m=1), non-multiples of every tile size, exact tile
    // multiples and sizes just past KC (257, 513). Each runs all 8 transpose/accumulate variants.
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 1, 1, 1 }, { 1, 33, 7 }, { 33, 1, 13 }, { 5, 7, 1 }, { 2, 65, 31 }, { 7, 13, 257 },
        { 13, 31, 33 }, { 31, 100, 5 }, { 65, 33, 100 }, { 100, 257, 2 }, { 257, 65, 13 },
        { 8, 32, 256 }, { 16, 64, 513 }, { 150, 70, 40 }, { 7, 4100, 3 },
    };

    // Larger block edges, 4 variants each: past MC and into block mode (601), past MB (1545), past NC
    // (4100 columns in block mode), past the panel-mode k super-block (4200), and B over 16 MiB so
    // the software-prefetch path runs (2050×2050).
    public static readonly TheoryData<int, int, int> BlockEdgeShapes = new()
    {
        { 601, 70, 300 }, { 1545, 9, 5 }, { 513, 4100, 2 }, { 505, 3, 4200 }, { 3, 2050, 2050 },
    };

    // At least Gemm.ParallelThreshold multiply-adds, so parallel=true really fans out; covers both
    // drivers (m ≤ 512 panel mode, m > 512 block mode).
    public static readonly TheoryData<int, int, int> ParallelShapes = new()
    {
        { 257, 130, 257 }, { 150, 257, 230 }, { 7, 4100, 300 }, { 33, 1000, 300 }, { 600, 130, 110 }, { 600, 2100, 70 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatchesReference_AllTransposes(int m, int n, int k)
    {
        int variant = 0;
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                    Check(ta, tb, m, n, k, accumulate, ldPad: variant++ % 3, Gemm.BestIsa);
    }

    [Theory]
    [MemberData(nameof(BlockEdgeShapes))]
    [MemberData(nameof(ParallelShapes))]
    public void MatchesReference_LargerShapes(int m, int n, int k)
    {
        Check(false, false, m, n, k, accumulate: false, ldPad: 0, Gemm.BestIsa);
        Check(false, true, m, n, k, accumulate: true, ldPad: 1, Gemm.BestIsa);
        Check(true, false, m, n, k, accumulate: true, ldPad: 2, Gemm.BestIsa);
        Check(true, true, m, n, k, accumulate: false, ldPad: 5, Gemm.BestIsa);
    }

    [Theory]
    [MemberData(nameof(ParallelShapes))]
    public void ParallelIsBitwiseIdenticalToSerial(int m, int n, int k)
    {
        Assert.True((long)m * n * k >= Gemm.ParallelThreshold);
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
            {
                var (a, lda, b, ldb, c0, ldc) = MakeOperands(ta, tb, m, n, k, ldPad: 1, seed: m * 31 + n);
                float[] serial = (float[])c0.Clone();
                Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, serial, ldc, accumulate: true, parallel: false);
                for (int rep = 0; rep < 3; rep++)
                {
                    float[] par = (float[])c0.Clone();
                    Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, par, ldc, accumulate: true, parallel: true);
                    Assert.Equal(serial, par); // float[] equality is exact, bit for bit (no tolerance)
                }
            }
    }

    /// <summary>
    /// Tall, wide products run as independent serial products on column parts of C, one per thread: bit for bit the
    /// serial product, for uneven parts (the last one narrower, with an edge panel), a part left without columns,
    /// every transpose and with and without accumulation.
    /// </summary>
    [Theory]
    [InlineData(600, 2100, 70, 2)]
    [InlineData(600, 2100, 70, 3)]
    [InlineData(513, 20, 9, 3)]
    public unsafe void ColumnPartsAreBitwiseIdenticalToSerial(int m, int n, int k, int parts)
    {
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                foreach (bool accumulate in new[] { false, true })
                {
                    var (a, lda, b, ldb, c0, ldc) = MakeOperands(ta, tb, m, n, k, ldPad: 3, seed: m + n * 3 + parts);
                    float[] serial = (float[])c0.Clone(), split = (float[])c0.Clone();
                    Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, serial, ldc, accumulate, parallel: false);
                    fixed (float* pa = a, pb = b, pc = split)
                        Gemm.MultiplyInColumnParts(ta, tb, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, Gemm.BestIsa, parts);
                    Assert.Equal(serial, split);
                }
    }

    public static TheoryData<int> FallbackIsas()
    {
        var data = new TheoryData<int> { (int)Gemm.Isa.Scalar };
        if (Gemm.BestIsa >= Gemm.Isa.Vector256) data.Add((int)Gemm.Isa.Vector256);
        return data;
    }

    [Theory]
    [MemberData(nameof(FallbackIsas))]
    public void FallbackKernelsMatchReference(int isa)
    {
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 17, 257), (13, 5, 33), (100, 33, 7), (150, 40, 20), (521, 19, 9) })
        {
            Check(false, false, m, n, k, accumulate: false, ldPad: 2, (Gemm.Isa)isa);
            Check(true, true, m, n, k, accumulate: true, ldPad: 0, (Gemm.Isa)isa);
            Check(true, false, m, n, k, accumulate: true, ldPad: 1, (Gemm.Isa)isa);
            Check(false, true, m, n, k, accumulate: false, ldPad: 3, (Gemm.Isa)isa);
        }
    }

    /// <summary>
    /// AVX2 runs 64 rows as 4×24 tiles and 60 rows as 6×16: the first 60 rows of the 64-row product equal the 60-row
    /// product bit for bit, so the tile choice never changes a result.
    /// </summary>
    [Fact]
    public void Avx2TileShapesGiveTheSameBits()
    {
        if (Gemm.BestIsa < Gemm.Isa.Vector256) return;
        Assert.Equal((4, 24), Gemm.TileShape(Gemm.Isa.Vector256, 64));
        Assert.Equal((6, 16), Gemm.TileShape(Gemm.Isa.Vector256, 60));
        const int n = 75, k = 300;
        foreach (bool tb in new[] { false, true })
        {
            var (a, lda, b, ldb, c64, ldc) = MakeOperands(false, tb, 64, n, k, ldPad: 1, seed: 7);
            float[] c60 = c64[..(60 * ldc)];
            Gemm.Multiply(false, tb, 64, n, k, a, lda, b, ldb, c64, ldc, accumulate: true, parallel: false, Gemm.Isa.Vector256);
            Gemm.Multiply(false, tb, 60, n, k, a, lda, b, ldb, c60, ldc, accumulate: true, parallel: false, Gemm.Isa.Vector256);
            Assert.Equal(c60, c64[..(60 * ldc)]);
        }
    }

    [Fact]
    public void ZeroKClearsOrKeepsC()
    {
        float[] c = [1, 2, 9, 3, 4, 9];
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 3, accumulate: true, parallel: false);
        Assert.Equal(new float[] { 1, 2, 9, 3, 4, 9 }, c);
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 3, accumulate: false, parallel: false);
        Assert.Equal(new float[] { 0, 0, 9, 0, 0, 9 }, c); // the padding column stays untouched
    }

    [Fact]
    public void EmptyOutputIsNoOp()
    {
        float[] c = [7];
        Gemm.Multiply(false, false, 0, 1, 3, [], 3, [1, 2, 3], 1, c, 1, accumulate: false, parallel: true);
        Gemm.Multiply(false, false, 1, 0, 3, [1, 2, 3], 3, [], 1, c, 1, accumulate: false, parallel: true);
        Assert.Equal(7f, c[0]);
    }

    [Fact]
    public void InvalidArgumentsNameTheArgument()
    {
        float[] a = new float[6], b = new float[6], c = new float[4];
        void Call(int m, int n, int k, float[] aa, int lda, float[] bb, int ldb, float[] cc, int ldc, bool ta = false, bool tb = false)
            => Gemm.Multiply(ta, tb, m, n, k, aa, lda, bb, ldb, cc, ldc, accumulate: false, parallel: false);

        Assert.Equal("m", Assert.Throws<ArgumentOutOfRangeException>(() => Call(-1, 2, 3, a, 3, b, 2, c, 2)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, -1, 3, a, 3, b, 2, c, 2)).ParamName);
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, 2, -1, a, 3, b, 2, c, 2)).ParamName);
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, 2, 3, a, 2, b, 2, c, 2)).ParamName);
        Assert.Equal("lda", Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, 2, 3, a, 1, b, 2, c, 2, ta: true)).ParamName);
        Assert.Equal("ldb", Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, 2, 3, a, 3, b, 1, c, 2)).ParamName);
        Assert.Equal("ldb", Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, 2, 3, a, 3, b, 2, c, 2, tb: true)).ParamName);
        Assert.Equal("ldc", Assert.Throws<ArgumentOutOfRangeException>(() => Call(2, 2, 3, a, 3, b, 2, c, 1)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Call(2, 2, 3, new float[5], 3, b, 2, c, 2)).ParamName);
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => Call(2, 2, 3, a, 4, b, 2, c, 2)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Call(2, 2, 3, a, 3, new float[5], 2, c, 2)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Call(2, 2, 3, a, 3, b, 4, c, 2, tb: true)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Call(2, 2, 3, a, 3, b, 2, new float[3], 2)).ParamName);
        Assert.Equal("c", Assert.Throws<ArgumentException>(() => Call(2, 2, 3, a, 3, b, 2, c, 3)).ParamName);
        Call(2, 2, 3, a, 3, b, 2, c, 2); // exactly long enough is fine
        Call(2, 2, 3, new float[7], 4, b, 2, new float[5], 3); // last row may end short of a full stride
    }

    /// Runs Gemm (serial and parallel) and GemmReference on the same random operands.
    /// Tolerance, per element: |fast - ref| ≤ 1e-5·Σ_p |a_ip|·|b_pj| + 1e-6.
    /// Float summation error is proportional to the magnitude of the terms being summed, not to the
    /// (possibly cancelled) result, so the bound scales with Σ|a_ip·b_pj|. The reference is exact to
    /// double precision; the fast kernel's FMA chains over ≤ KC=256 terms plus one add per k block
    /// lose a few float ulps (2^-24 ≈ 6e-8) per step, and with random signs that grows like √k·ulp,
    /// far inside 1e-5 for the k used here. The absolute 1e-6 absorbs the final rounding of
    /// C + sum, where the prefilled C (|C| ≤ 1) is not among the dot-product terms.
    private static void Check(bool ta, bool tb, int m, int n, int k, bool accumulate, int ldPad, Gemm.Isa isa)
    {
        var (a, lda, b, ldb, c0, ldc) = MakeOperands(ta, tb, m, n, k, ldPad, seed: m * 7919 + n * 104729 + k);
        float[] expected = (float[])c0.Clone(), serial = (float[])c0.Clone(), par = (float[])c0.Clone();
        GemmReference.Multiply(ta, tb, m, n, k, a, lda, b, ldb, expected, ldc, accumulate, parallel: false);
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, serial, ldc, accumulate, parallel: false, isa);
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, par, ldc, accumulate, parallel: true, isa);
        Assert.Equal(serial, par);

        // Σ_p |a_ip|·|b_pj| for every (i, j) is itself a GEMM, of the element-wise absolute values.
        float[] magnitude = new float[c0.Length];
        GemmReference.Multiply(ta, tb, m, n, k, Array.ConvertAll(a, Math.Abs), lda, Array.ConvertAll(b, Math.Abs), ldb,
            magnitude, ldc, accumulate: false, parallel: false);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc; j++)
            {
                int idx = i * ldc + j;
                if (j >= n)
                {
                    if (serial[idx] != c0[idx]) Assert.Fail($"C[{i},{j}] lies in the ldc padding but was written");
                    continue;
                }
                double tolerance = 1e-5 * magnitude[idx] + 1e-6, error = Math.Abs((double)serial[idx] - expected[idx]);
                if (!(error <= tolerance))
                    Assert.Fail($"{isa} ta={ta} tb={tb} m={m} n={n} k={k} acc={accumulate}: C[{i},{j}] = {serial[idx]}, " +
                        $"expected {expected[idx]}, |err| {error:E2} > {tolerance:E2}");
            }
        }
    }

    /// Random operands in [-1, 1) with leading dimensions ldPad wider than the logical width; C is
    /// prefilled with random values so that accumulate=true is really exercised.
    private static (float[] A, int Lda, float[] B, int Ldb, float[] C, int Ldc) MakeOperands(
        bool ta, bool tb, int m, int n, int k, int ldPad, int seed)
    {
        var rng = new Random(seed);
        int lda = (ta ? m : k) + ldPad, ldb = (tb ? k : n) + ldPad, ldc = n + ldPad;
        float[] a = Fill(rng, (ta ? k : m) * lda), b = Fill(rng, (tb ? n : k) * ldb), c = Fill(rng, m * ldc);
        return (a, lda, b, ldb, c, ldc);
    }

    private static float[] Fill(Random rng, int count)
    {
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }
}
