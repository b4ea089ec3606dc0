namespace AlexNet.Data.Images;

/// <summary>
/// Turns encoded image files into <see cref="Image"/>s. The core library only depends on this contract;
/// the native implementation (libjpeg-turbo, libpng) lives in AlexNet.Imaging.
/// </summary>
public interface IImageDecoder
{
    /// <summary>
    /// Decodes an encoded image to 8-bit pixels with <paramref name="channels"/> channels (1 grey, 3 RGB).
    /// Failures throw <see cref="AlexNetException"/> naming <paramref name="source"/> and the reason.
    /// </summary>
    Image Decode(ReadOnlySpan<byte> encoded, string source, int channels);
}
