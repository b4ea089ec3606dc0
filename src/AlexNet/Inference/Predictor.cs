using System.Collections.Concurrent;
using AlexNet.Backends;
using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Tensors;

namespace AlexNet.Inference;

/// <summary>
/// Class probabilities for decoded images: softmax of the logits, averaged over the ten crops when asked.
/// Safe to call from several threads at once: each call borrows an execution plan from a pool (plans own
/// buffers), and inference never writes the network's parameters. At most <see cref="IBackend.ConcurrentPlans"/>
/// calls compute at a time; the others wait their turn.
/// </summary>
public sealed class Predictor : IDisposable
{
    /// <summary>Images per forward pass; ten-crop predictions use ten slots per image.</summary>
    public const int ImagesPerPass = 16;

    private readonly ConcurrentBag<IExecutionPlan> _plans = [];
    private readonly IBackend _backend;
    private readonly SemaphoreSlim? _turns;

    public Predictor(Network network, Preprocessing preprocessing, IReadOnlyList<string> classNames, IBackend? backend = null)
    {
        if (classNames.Count != network.Config.Classes)
        {
            throw new AlexNetException($"The model has {network.Config.Classes} outputs but {classNames.Count} class names.");
        }
        (Network, ClassNames, _backend) = (network, classNames, backend ?? ManagedBackend.Instance);
        Crops = new InferenceCrops(preprocessing);
        if (_backend.ConcurrentPlans < 1) throw new ArgumentException($"Backend {_backend.Name} allows {_backend.ConcurrentPlans} plans at once.", nameof(backend));
        if (_backend.ConcurrentPlans < int.MaxValue) _turns = new SemaphoreSlim(_backend.ConcurrentPlans);
    }

    public Network Network { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public InferenceCrops Crops { get; }

    public IBackend Backend => _backend;

    /// <summary>Class probabilities of one image (decoded with <see cref="InferenceCrops.Channels"/> channels).</summary>
    public float[] Probabilities(Image image, bool tenCrop) => Probabilities([image], tenCrop)[0];

    /// <summary>Class probabilities of each image, in order.</summary>
    public float[][] Probabilities(IReadOnlyList<Image> images, bool tenCrop)
    {
        _turns?.Wait();
        try
        {
            var plan = Borrow();
            try
            {
                return Probabilities(plan, images, tenCrop);
            }
            finally
            {
                _plans.Add(plan);
            }
        }
        finally
        {
            _turns?.Release();
        }
    }

    private float[][] Probabilities(IExecutionPlan plan, IReadOnlyList<Image> images, bool tenCrop)
    {
        var results = new float[images.Count][];
        for (var start = 0; start < images.Count; start += ImagesPerPass)
        {
            var count = Math.Min(ImagesPerPass, images.Count - start);
            var views = new List<Image>();
            for (var i = 0; i < count; i++) views.AddRange(Crops.Views(images[start + i], tenCrop));
            var probabilities = SoftmaxCrossEntropy.Softmax(plan.Forward(Batch(views), ForwardContext.Inference));
            var perImage = views.Count / count;
            for (var i = 0; i < count; i++) results[start + i] = Average(probabilities, i * perImage, perImage);
        }
        return results;
    }

    /// <summary>The <paramref name="n"/> most likely classes, most likely first (ties by class index).</summary>
    public IReadOnlyList<ClassScore> Top(ReadOnlySpan<float> probabilities, int n)
    {
        if (n < 1) throw new AlexNetException($"--top must be at least 1, got {n}.");
        var order = Enumerable.Range(0, probabilities.Length).ToArray();
        var values = probabilities.ToArray();
        Array.Sort(order, (a, b) => values[b] != values[a] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        return order.Take(Math.Min(n, order.Length)).Select(c => new ClassScore(c, ClassNames[c], values[c])).ToList();
    }

    public void Dispose()
    {
        while (_plans.TryTake(out var plan)) plan.Dispose();
        _turns?.Dispose();
    }

    private IExecutionPlan Borrow() => _plans.TryTake(out var plan) ? plan : _backend.CreatePlan(Network);

    private Tensor Batch(List<Image> views)
    {
        var shape = Network.InputShape;
        var batch = new Tensor(shape.WithBatch(views.Count));
        for (var i = 0; i < views.Count; i++) Crops.Converter.Write(views[i], batch, i);
        return batch;
    }

    private static float[] Average(Tensor probabilities, int firstRow, int rows)
    {
        var classes = probabilities.Shape[1];
        var sum = new double[classes];
        for (var r = firstRow; r < firstRow + rows; r++)
        {
            var row = probabilities.Data.AsSpan(r * classes, classes);
            for (var c = 0; c < classes; c++) sum[c] += row[c];
        }
        return sum.Select(s => (float)(s / rows)).ToArray();
    }
}
