namespace AlexNet.Imaging;

/// <summary>The interleaved 8-bit layout a native decoder produced, before conversion to 1 or 3 channels.</summary>
internal enum PixelLayout
{
    Gray,
    GrayAlpha,
    Rgb,
    Rgba,

    /// <summary>CMYK as stored in an Adobe JPEG (inverted: 0 is full ink), which is what TJPF_CMYK returns.</summary>
    AdobeCmyk,
}
