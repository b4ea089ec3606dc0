namespace AlexNet.Data.Images;

/// <summary>
/// A decoded 8-bit image, pixels interleaved row by row (H × W × C, "HWC"), 1 channel (grey) or 3 (RGB).
/// Transforms work on this form; conversion to the network's normalized float CHW happens last.
/// </summary>
public sealed class Image
{
    public Image(int width, int height, int channels, byte[] pixels)
    {
        if (width <= 0 || height <= 0) throw new ArgumentException($"Image size must be positive, got {width}×{height}.");
        if (channels is not (1 or 3)) throw new ArgumentException($"Images have 1 or 3 channels, got {channels}.");
        if (pixels.LongLength != (long)width * height * channels)
        {
            throw new ArgumentException($"A {width}×{height}×{channels} image needs {(long)width * height * channels} bytes, got {pixels.Length}.");
        }
        (Width, Height, Channels, Pixels) = (width, height, channels, pixels);
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Pixels { get; }

    public int Stride => Width * Channels;

    public override string ToString() => $"Image({Width}×{Height}×{Channels})";
}
