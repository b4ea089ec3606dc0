using AlexNet.Data;
using AlexNet.Data.Images;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;

namespace AlexNet.Inference;

/// <summary>
/// The network-sized views of one image that a prediction averages over, derived from a checkpoint's
/// <see cref="Preprocessing"/>: the centre crop alone, or the paper's ten patches (four corners and the centre
/// of the rescaled image, and their mirrors). As in evaluation, the shorter side is scaled to
/// ResizeShorterSide (256 for the ImageNet-sized models), the central square kept, and the network-sized
/// patches cut from that square. Models trained on small images (ResizeShorterSide equal to the input size)
/// have no margin to crop from, so their ten patches are the whole image five times and its mirror five times.
/// </summary>
public sealed class InferenceCrops
{
    private readonly IImageTransform[] _toSquare;
    private readonly TenCrop _tenCrop;
    private readonly CenterCrop _center;

    public InferenceCrops(Preprocessing preprocessing)
    {
        Preprocessing = preprocessing;
        var size = preprocessing.InputSize;
        _toSquare = preprocessing.ToSquare();
        _tenCrop = new TenCrop(size);
        _center = new CenterCrop(size);
        Converter = SampleConverter.From(preprocessing);
    }

    public Preprocessing Preprocessing { get; }

    public SampleConverter Converter { get; }

    /// <summary>Channels an image must be decoded with for this model (1 grey, 3 colour).</summary>
    public int Channels => Converter.Channels;

    public Image[] Views(Image image, bool tenCrop)
    {
        var random = new RandomStream(0);
        foreach (var transform in _toSquare) image = transform.Apply(image, random);
        return tenCrop ? _tenCrop.Apply(image) : [_center.Apply(image, random)];
    }
}
