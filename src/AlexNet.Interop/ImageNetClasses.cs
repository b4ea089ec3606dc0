namespace AlexNet.Interop;

/// <summary>
/// The 1000 ILSVRC-2012 class names in the standard order (sorted WordNet ids, n01440764 "tench" first), the
/// order of torchvision's and Caffe's ImageNet models. The short names are those torchvision 0.14 ships in
/// torchvision.models._meta, where duplicate WordNet lemmas ("crane", "maillot") are already told apart.
/// </summary>
public static class ImageNetClasses
{
    public const int Count = 1000;

    private static readonly Lazy<IReadOnlyList<string>> Cached = new(Load);

    public static IReadOnlyList<string> Names => Cached.Value;

    private static IReadOnlyList<string> Load()
    {
        using var stream = typeof(ImageNetClasses).Assembly.GetManifestResourceStream("AlexNet.Interop.imagenet_classes.txt")
            ?? throw new InvalidOperationException("The ImageNet class list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        var names = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length != Count) throw new InvalidOperationException($"The embedded ImageNet class list has {names.Length} names, expected {Count}.");
        return names;
    }
}
