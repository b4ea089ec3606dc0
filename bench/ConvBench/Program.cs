// Times the managed direct convolution on the layers of paper, torchvision and mini AlexNet, forward and backward,
// with the vector lanes over grid positions and over channels, beside im2col + GEMM, and prints GFLOP/s and which
// lanes the automatic choice takes. Usage: dotnet run -c Release --project bench/ConvBench [-- single] [isa=avx2|avx512|scalar] [layer name part ...]
//   single: one thread (run it under `taskset -c 0` on a shared machine); isa: force the managed kernels' set.
using System.Diagnostics;
using AlexNet.Kernels;

bool single = args.Contains("single");
// Other arguments (neither "single" nor isa=) keep only the layers whose name contains one of them.
var only = args.Where(a => a != "single" && !a.StartsWith("isa=", StringComparison.Ordinal)).ToArray();
var isa = args.FirstOrDefault(a => a.StartsWith("isa=", StringComparison.Ordinal)) switch
{
    "isa=avx2" => Gemm.Isa.Vector256,
    "isa=scalar" => Gemm.Isa.Scalar,
    "isa=avx512" => Gemm.Isa.Vector512,
    _ => Gemm.BestIsa,
};
var threads = new ParallelOptions { MaxDegreeOfParallelism = single ? 1 : -1 };
// (name, N, C, H, K, R, padding, groups, stride): the layers at the batch sizes bench/speed.sh uses; conv1 runs without
// an input gradient, as a network's first layer does, and strided conv1 is also timed as im2col + GEMM.
var layers = new (string Name, int N, int C, int H, int K, int R, int Pad, int Groups, int Stride)[]
{
    ("paper conv1", 64, 3, 227, 96, 11, 0, 1, 4),
    ("torchvision conv1", 64, 3, 224, 64, 11, 2, 1, 4),
    ("paper conv2", 64, 96, 27, 256, 5, 2, 2, 1),
    ("paper conv3", 64, 256, 13, 384, 3, 1, 1, 1),
    ("paper conv4", 64, 384, 13, 384, 3, 1, 2, 1),
    ("paper conv5", 64, 384, 13, 256, 3, 1, 2, 1),
    ("torchvision conv2", 64, 64, 27, 192, 5, 2, 1, 1),
    ("torchvision conv3", 64, 192, 13, 384, 3, 1, 1, 1),
    ("torchvision conv4", 64, 384, 13, 256, 3, 1, 1, 1),
    ("torchvision conv5", 64, 256, 13, 256, 3, 1, 1, 1),
    ("mini conv1", 128, 1, 28, 32, 5, 2, 1, 1),
    ("mini conv2", 128, 32, 13, 64, 5, 2, 2, 1),
    ("mini conv3", 128, 64, 6, 96, 3, 1, 1, 1),
    ("mini conv4", 128, 96, 6, 96, 3, 1, 2, 1),
    ("mini conv5", 128, 96, 6, 64, 3, 1, 2, 1),
};
Console.WriteLine($"managed direct convolution, isa {isa}, {(single ? 1 : Environment.ProcessorCount)} thread(s); GFLOP/s, best of alternating rounds");
Console.WriteLine($"{"layer",-20}{"fwd pos",9}{"fwd chan",9}{"fwd gemm",9}{"bwd pos",9}{"bwd chan",9}{"bwd gemm",9}   automatic: forward, input gradient");
foreach (var (name, n, c, h, k, r, pad, groups, stride) in layers)
{
    if (only.Length > 0 && !only.Any(name.Contains)) continue;
    var g = new Conv2dGeometry(n, c, h, h, k, r, stride, pad, groups);
    var random = new Random(1);
    float[] Fill(long count) => Enumerable.Range(0, (int)count).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    var (x, w, b, dy) = (Fill((long)n * c * h * h), Fill(g.WeightLength), Fill(k), Fill((long)n * k * g.OutputPlane));
    // A network's first layer computes no input gradient (nothing needs the image's).
    var (y, dx, dw, db) = (new float[dy.Length], name.EndsWith("conv1", StringComparison.Ordinal) ? [] : new float[x.Length], new float[w.Length], new float[k]);
    var actions = new Action[]
    {
        () => DirectConvolution.Forward(x, w, b, y, g, isa, threads, CorrelationLanes.Positions),
        () => DirectConvolution.Forward(x, w, b, y, g, isa, threads, CorrelationLanes.Channels),
        () => Convolution.ForwardUnfolded(x, w, b, y, g),
        () => DirectConvolution.Backward(x, w, dy, dx, dw, db, g, isa, threads, CorrelationLanes.Positions),
        () => DirectConvolution.Backward(x, w, dy, dx, dw, db, g, isa, threads, CorrelationLanes.Channels),
        () => Convolution.BackwardUnfolded(x, w, dy, dx, dw, db, g),
    };
    var best = Alternate(actions);
    var flops = 2.0 * g.N * g.K * g.OutputPlane * g.ChannelsPerGroup * r * r / 1e9;
    var forward = new CorrelationPass(new CorrelationLayout(g.ChannelsPerGroup, g.H, g.W, g.Padding, g.R, g.Stride), g.C, g.K, g.FiltersPerGroup, g.Groups, g.N, false);
    var input = new CorrelationPass(new CorrelationLayout(g.FiltersPerGroup, g.P, g.Q, g.R - 1 - g.Padding, g.R), g.K, g.C, g.ChannelsPerGroup, g.Groups, g.N, true);
    string Choice(CorrelationPass pass) => pass.ChannelLanes(CorrelationLanes.Automatic, DirectTiles.For(isa).Width) ? "channels" : "positions";
    var backwardFlops = dx.Length == 0 ? flops : 2 * flops;
    Console.WriteLine($"{name,-20}{flops / best[0],9:F1}{flops / best[1],9:F1}{flops / best[2],9:F1}{backwardFlops / best[3],9:F1}{backwardFlops / best[4],9:F1}" +
        $"{backwardFlops / best[5],9:F1}   {Choice(forward)}, {(dx.Length == 0 ? "none" : Choice(input))}");
}

// Best seconds of each action over alternating rounds (at least 3, until about 4 s in all), after one warm-up each.
static double[] Alternate(Action[] actions)
{
    foreach (var action in actions) action();
    var best = Enumerable.Repeat(double.MaxValue, actions.Length).ToArray();
    var total = 0.0;
    for (var round = 0; round < 20 && (round < 3 || total < 4.0); round++)
    {
        for (var i = 0; i < actions.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            actions[i]();
            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            (best[i], total) = (Math.Min(best[i], seconds), total + seconds);
        }
    }
    return best;
}
