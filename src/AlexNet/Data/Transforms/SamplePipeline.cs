using AlexNet.Data.Images;
using AlexNet.Randomness;
using AlexNet.Tensors;

namespace AlexNet.Data.Transforms;

/// <summary>
/// Everything between a decoded image and its slot in a batch: the transforms in order, then (optionally)
/// PCA lighting and the float conversion. Random draws happen in that order from the one stream given
/// per sample, so a sample's result depends only on (seed, epoch, index). Stateless and thread-safe.
/// </summary>
public sealed class SamplePipeline
{
    /// <summary>The paper's rescale size ("the shorter side was of length 256").</summary>
    public const int PaperResize = 256;

    public SamplePipeline(IEnumerable<IImageTransform> transforms, SampleConverter converter, PcaLighting? lighting = null)
    {
        Transforms = transforms.ToArray();
        Converter = converter;
        if (lighting is not null && lighting.Channels != converter.Channels)
        {
            throw new AlexNetException($"The PCA lighting has {lighting.Channels} channels, the {converter.ChannelOrder} input {converter.Channels}.");
        }
        Lighting = lighting;
    }

    public IReadOnlyList<IImageTransform> Transforms { get; }

    public SampleConverter Converter { get; }

    public PcaLighting? Lighting { get; }

    public int Channels => Converter.Channels;

    public int InputSize => Converter.InputSize;

    /// <summary>
    /// The paper's training preprocessing: shorter side to 256, central 256×256, random crop of the input
    /// size (227 for the paper's layer sizes, 224 for torchvision's), random horizontal flip, PCA lighting
    /// when given, normalization.
    /// </summary>
    public static SamplePipeline PaperTraining(SampleConverter converter, PcaLighting? lighting = null, int resize = PaperResize) =>
        new(
            [new ResizeShorterSide(resize), new CenterCrop(resize), new RandomCrop(converter.InputSize), new RandomHorizontalFlip()],
            converter,
            lighting);

    /// <summary>
    /// Evaluation preprocessing: shorter side to 256, central 256×256, central crop of the input size
    /// (for 224 this is torchvision's Resize(256) + CenterCrop(224)). No randomness.
    /// </summary>
    public static SamplePipeline Evaluation(SampleConverter converter, int resize = PaperResize) =>
        new([new ResizeShorterSide(resize), new CenterCrop(resize), new CenterCrop(converter.InputSize)], converter);

    /// <summary>Applies the image transforms only.</summary>
    public Image Transform(Image image, RandomStream random)
    {
        foreach (var transform in Transforms) image = transform.Apply(image, random);
        return image;
    }

    /// <summary>Transforms <paramref name="image"/> and writes it, lit and normalized, into sample <paramref name="slot"/>.</summary>
    public void Process(Image image, RandomStream random, Tensor batch, int slot)
    {
        var transformed = Transform(image, random);
        var shift = Lighting?.Draw(random);
        Converter.Write(transformed, batch, slot, shift);
    }
}
