using AlexNet.Data;
using AlexNet.Data.Loading;
using AlexNet.Tensors;

namespace AlexNet.Training;

/// <summary>Batches decoded and augmented from image files by the worker-thread <see cref="DataLoader"/>.</summary>
public sealed class LoaderBatches(DataLoader loader, string name) : IBatchProvider
{
    public string Name => name;

    public IReadOnlyList<string> ClassNames => loader.Source.ClassNames;

    public int Count => loader.Source.Count;

    public Shape SampleShape => new(loader.Pipeline.Channels, loader.Pipeline.InputSize, loader.Pipeline.InputSize);

    public IEnumerable<Batch> Epoch(int epoch, CancellationToken cancellation = default, int startBatch = 0) => loader.Epoch(epoch, cancellation, startBatch);
}
