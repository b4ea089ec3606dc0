// Times the managed AlexNet.Kernels.Gemm.Multiply against oneDNN's dnnl_sgemm on 2048³ and on AlexNet-layer GEMM
// shapes, alternating the two on the same operands, and prints GFLOP/s and the managed share of oneDNN.
// Usage: dotnet run -c Release --project bench/GemmBench [-- quick] [single] [shape name part ...]
//   quick: forward layout (NN) only; single: one thread each (managed serial, oneDNN with OMP_NUM_THREADS=1).
// Each shape runs with the forward layout (W · im2col: A, B as stored) and two backward-style layouts
// (A^T: data-gradient style, B^T: weight-gradient style).
using System.Diagnostics;
using AlexNet.Kernels;
using AlexNet.OneDnn;

bool quick = args.Contains("quick"), single = args.Contains("single");
// Any other argument keeps only the shapes whose name contains it.
var only = args.Where(x => x is not ("quick" or "single")).ToArray();
if (single)
{
    // libgomp reads the process's native environment when oneDNN loads; .NET's SetEnvironmentVariable alone does not reach it.
    if (NativeEnvironment.setenv("OMP_NUM_THREADS", "1", 1) != 0) throw new InvalidOperationException("setenv(OMP_NUM_THREADS) failed.");
    Environment.SetEnvironmentVariable("OMP_NUM_THREADS", "1");
}
var shapes = new (string Name, int M, int N, int K)[]
{
    ("square 2048", 2048, 2048, 2048),
    ("conv1 64x3025x363", 64, 3025, 363),
    ("conv2 128x729x1200", 128, 729, 1200),
    ("conv3 384x169x2304", 384, 169, 2304),
    ("fc6 128x4096x9216", 128, 4096, 9216),
    ("fc7 128x4096x4096", 128, 4096, 4096),
    ("fc6 64x4096x9216", 64, 4096, 9216),
    ("fc6 dW 4096x9216x64", 4096, 9216, 64),
    ("fc6 dx 64x9216x4096", 64, 9216, 4096),
};
var layouts = new (string Name, bool TA, bool TB)[] { ("NN", false, false), ("TN", true, false), ("NT", false, true) };

var library = OneDnnLibrary.Load();
Console.WriteLine($"managed: {KernelIsa.Name}, {(single ? 1 : Environment.ProcessorCount)} thread(s); oneDNN {library.Version}: {library.Isa}, " +
    $"{library.Threads} thread(s); GFLOP/s, best of alternating rounds");
Console.WriteLine($"{"shape",-22}{"layout",-8}{"managed",10}{"oneDNN",10}{"share",8}");
var shares = new List<double>();
foreach (var (name, m, n, k) in shapes)
{
    if (only.Length > 0 && !only.Any(name.Contains)) continue;
    foreach (var (lname, ta, tb) in layouts)
    {
        if (quick && lname != "NN") continue;
        var rng = new Random(1);
        float[] a = Fill(rng, m * k), b = Fill(rng, k * n), c = new float[m * n];
        int lda = ta ? m : k, ldb = tb ? k : n;
        var (managed, dnnl) = Alternate(
            () => Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, n, false, parallel: !single),
            () => OneDnnGemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, c, n, false));
        double flops = 2.0 * m * n * k / 1e9;
        shares.Add(dnnl / managed);
        Console.WriteLine($"{name,-22}{lname,-8}{flops / managed,10:F1}{flops / dnnl,10:F1}{dnnl / managed,8:P0}");
    }
}
Console.WriteLine($"lowest managed share of oneDNN: {shares.Min():P0}");

// Best seconds of each over alternating rounds (at least 3, up to 20 or about 3 s in all), after a warm-up of each.
static (double First, double Second) Alternate(Action first, Action second)
{
    first();
    second();
    double bestFirst = double.MaxValue, bestSecond = double.MaxValue, total = 0;
    for (int round = 0; round < 20 && (round < 3 || total < 3.0); round++)
    {
        bestFirst = Math.Min(bestFirst, Time(first, ref total));
        bestSecond = Math.Min(bestSecond, Time(second, ref total));
    }
    return (bestFirst, bestSecond);
}

static double Time(Action action, ref double total)
{
    long t0 = Stopwatch.GetTimestamp();
    action();
    double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
    total += s;
    return s;
}

static float[] Fill(Random rng, int count)
{
    var x = new float[count];
    for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
    return x;
}

static partial class NativeEnvironment
{
    [System.Runtime.InteropServices.LibraryImport("libc", StringMarshalling = System.Runtime.InteropServices.StringMarshalling.Utf8)]
    internal static partial int setenv(string name, string value, int overwrite);
}
