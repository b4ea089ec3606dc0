using System.Collections.Concurrent;
using AlexNet.Data.Images;
using AlexNet.Data.Sources;
using AlexNet.Tests.Data.Transforms;

namespace AlexNet.Tests.Data.Loading;

/// <summary>
/// An in-memory sample source that fabricates noise images of varied sizes (so resizing and cropping do
/// real work), can fail on chosen samples, can be slowed down, and records which threads loaded what.
/// </summary>
public sealed class FabricatedSource(int count, int classes = 5) : ISampleSource
{
    private readonly ConcurrentQueue<int> _loaded = new();
    private readonly ConcurrentDictionary<Thread, bool> _threads = new();

    public IReadOnlyList<string> ClassNames { get; } = Enumerable.Range(0, classes).Select(c => $"class{c}").ToArray();

    public int Count { get; } = count;

    /// <summary>Samples whose loading throws.</summary>
    public HashSet<int> Broken { get; init; } = [];

    /// <summary>Called before each load with the sample index (on the loading thread).</summary>
    public Action<int>? BeforeLoad { get; init; }

    /// <summary>Dataset indices in the order their loading began.</summary>
    public IReadOnlyCollection<int> Loaded => _loaded;

    /// <summary>Threads that loaded samples.</summary>
    public IReadOnlyCollection<Thread> Threads => _threads.Keys.ToArray();

    public int Label(int index) => index % classes;

    public string Describe(int index) => $"fabricated/{index:D4}.jpg";

    public Image Load(int index, int channels)
    {
        _threads.TryAdd(Thread.CurrentThread, true);
        _loaded.Enqueue(index);
        BeforeLoad?.Invoke(index);
        if (Broken.Contains(index)) throw new InvalidDataException("corrupt JPEG header");
        return TestImages.Noise(40 + index % 7, 36 + index % 5, channels, (ulong)index);
    }
}
