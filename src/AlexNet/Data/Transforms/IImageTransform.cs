using AlexNet.Data.Images;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// One step of image preprocessing or augmentation. Randomness comes only from the stream passed in, which
/// the loader derives from (seed, epoch, sample index): the output never depends on threads or workers.
/// Deterministic transforms ignore it.
/// </summary>
public interface IImageTransform
{
    Image Apply(Image image, RandomStream random);
}
