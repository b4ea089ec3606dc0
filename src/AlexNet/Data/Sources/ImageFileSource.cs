using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// A source whose samples are encoded image files with known labels. The file list is fixed when the source
/// is opened; files are read and decoded only in <see cref="Load"/>, so a bad file shows up there (and in
/// <see cref="ImageScan"/>), not when opening.
/// </summary>
public abstract class ImageFileSource : ISampleSource
{
    private readonly string[] _paths;
    private readonly int[] _labels;
    private readonly IImageDecoder _decoder;

    private protected ImageFileSource(string[] paths, int[] labels, IReadOnlyList<string> classNames, IImageDecoder decoder)
    {
        if (paths.Length != labels.Length) throw new ArgumentException($"{paths.Length} paths but {labels.Length} labels.");
        (_paths, _labels, _decoder, ClassNames) = (paths, labels, decoder, classNames);
        Paths = Array.AsReadOnly(paths);
    }

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlyList<string> Paths { get; }

    public int Count => _paths.Length;

    public int Label(int index) => _labels[index];

    public string Describe(int index) => _paths[index];

    public Image Load(int index, int channels) => ImageFiles.Load(_paths[index], _decoder, channels);
}
