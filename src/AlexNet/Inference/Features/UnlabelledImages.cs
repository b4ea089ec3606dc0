using AlexNet.Data.Images;
using AlexNet.Data.Sources;

namespace AlexNet.Inference.Features;

/// <summary>Image files without labels (label −1), for feature extraction from a list of files or folders.</summary>
public sealed class UnlabelledImages(IReadOnlyList<string> paths, IImageDecoder decoder) : ISampleSource
{
    public IReadOnlyList<string> ClassNames => [];

    public int Count => paths.Count;

    public int Label(int index) => -1;

    public string Describe(int index) => paths[index];

    public Image Load(int index, int channels) => ImageFiles.Load(paths[index], decoder, channels);
}
