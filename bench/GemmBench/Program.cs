// Times AlexNet.Kernels.Gemm.Multiply on 2048³ and on AlexNet-layer GEMM shapes, printing GFLOP/s.
// Usage: dotnet run -c Release --project bench/GemmBench [-- quick]
// Each shape runs with the forward layout (W · im2col: A, B as stored) and two backward-style layouts
// (A^T: data-gradient style, B^T: weight-gradient style), single-threaded and with all cores.
using System.Diagnostics;
using AlexNet.Kernels;

bool quick = args.Contains("quick");
var shapes = new (string Name, int M, int N, int K)[]
{
    ("square 2048", 2048, 2048, 2048),
    ("conv1 64x3025x363", 64, 3025, 363),
    ("conv2 128x729x1200", 128, 729, 1200),
    ("conv3 384x169x2304", 384, 169, 2304),
    ("fc6 128x4096x9216", 128, 4096, 9216),
    ("fc7 128x4096x4096", 128, 4096, 4096),
};
var layouts = new (string Name, bool TA, bool TB)[] { ("NN", false, false), ("TN", true, false), ("NT", false, true) };

Console.WriteLine($"cores={Environment.ProcessorCount}  (GFLOP/s, best of repeated runs)");
Console.WriteLine($"{"shape",-22}{"layout",-8}{"1 thread",10}{"parallel",10}");
foreach (var (name, m, n, k) in shapes)
{
    foreach (var (lname, ta, tb) in layouts)
    {
        if (quick && lname != "NN") continue;
        var rng = new Random(1);
        float[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = new float[m * n];
        double single = Time(false), multi = Time(true);
        Console.WriteLine($"{name,-22}{lname,-8}{single,10:F1}{multi,10:F1}");

        double Time(bool parallel)
        {
            int lda = ta ? m : k, ldb = tb ? k : n;
            Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, n, false, parallel); // warm-up / JIT
            double best = double.MaxValue, total = 0;
            for (int rep = 0; rep < 20 && (rep < 3 || total < 1.0); rep++)
            {
                long t0 = Stopwatch.GetTimestamp();
                Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, n, false, parallel);
                double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                best = Math.Min(best, s);
                total += s;
            }
            return 2.0 * m * n * k / best / 1e9;
        }
    }
}

static float[] Fill(Random rng, int count)
{
    var x = new float[count];
    for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
    return x;
}
