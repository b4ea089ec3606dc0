using AlexNet.Data.Images;

namespace AlexNet.Data.Sources;

/// <summary>
/// A labelled collection of images of one split (train, val or test), whatever its layout on disk: class
/// folders, the seed's JSON maps, a CSV list, CIFAR-10 batches or IDX files. Loading is thread-safe.
/// </summary>
public interface ISampleSource
{
    /// <summary>Class names; labels index this list. Their order is saved in every checkpoint.</summary>
    IReadOnlyList<string> ClassNames { get; }

    int Count { get; }

    int Label(int index);

    /// <summary>Where sample <paramref name="index"/> comes from (a file path, or a file and record), for messages.</summary>
    string Describe(int index);

    /// <summary>Decodes sample <paramref name="index"/> with 1 or 3 channels.</summary>
    Image Load(int index, int channels);
}
