using AlexNet.Checkpoints;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Interop.Tests.Support;

/// <summary>Files written by tests/make_interop_fixtures.py and the helpers that read them.</summary>
public static class InteropFixtures
{
    /// <summary>Float32 agreement with PyTorch, as everywhere else in the project.</summary>
    public const double Relative = 1e-4;

    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);

    public static string Photo(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", "Photos", name);

    public static SafeTensorsFile Expected(string name) => SafeTensorsFile.Read(Path(name));

    /// <summary>
    /// The C# twin of pattern_input() in the fixture script: integers in [−1000, 1000] divided in float32 by
    /// 1000 / scale, so both languages get bit-identical inputs without storing them.
    /// </summary>
    public static Tensor PatternInput(int n, int size, float scale)
    {
        var tensor = new Tensor(n, 3, size, size);
        var divisor = 1000f / scale;
        for (long i = 0; i < tensor.Length; i++)
        {
            var value = (i * 7919 + i / 977 * 104729) % 2001 - 1000;
            tensor.Data[i] = value / divisor;
        }
        return tensor;
    }

    public static Tensor Logits(Network network, Tensor input) => network.Forward(input, ForwardContext.Inference);

    public static int[] Top5(ReadOnlySpan<float> logits) =>
        logits.ToArray().Select((v, i) => (v, i)).OrderByDescending(p => p.v).Take(5).Select(p => p.i).ToArray();
}
