namespace AlexNet.Imaging;

/// <summary>
/// Converts decoded pixels to 1 (grey) or 3 (RGB) channels exactly as PIL 9.4's <c>Image.convert</c> does
/// (libImaging/Convert.c), so that images decoded here equal PIL's pixel for pixel:
/// <list type="bullet">
/// <item>RGB → L: <c>(R·19595 + G·38470 + B·7471 + 0x8000) &gt;&gt; 16</c> (ITU-R 601-2 weights 0.299/0.587/0.114
/// in 16-bit fixed point, rounded).</item>
/// <item>L → RGB replicates; alpha is dropped, never composited (PIL's RGBA→RGB and LA→L ignore alpha).</item>
/// <item>CMYK → RGB: PIL reads Adobe JPEG CMYK as inverted ("CMYK;I"), c = 255 − stored, then
/// <c>R = nk − c·nk/255</c> with nk = 255 − k and PIL's rounded MULDIV255. With stored values s:
/// nk = s_k and c = 255 − s_c.</item>
/// </list>
/// </summary>
internal static class PixelConversions
{
    public static int SourceChannels(PixelLayout layout) => layout switch
    {
        PixelLayout.Gray => 1,
        PixelLayout.GrayAlpha => 2,
        PixelLayout.Rgb => 3,
        PixelLayout.Rgba => 4,
        PixelLayout.AdobeCmyk => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(layout)),
    };

    /// <summary>Returns pixels with <paramref name="channels"/> channels; may return <paramref name="source"/> itself.</summary>
    public static byte[] Convert(byte[] source, int pixelCount, PixelLayout layout, int channels)
    {
        int stride = SourceChannels(layout);
        if ((layout == PixelLayout.Gray && channels == 1) || (layout == PixelLayout.Rgb && channels == 3)) return source;

        var result = new byte[(long)pixelCount * channels];
        bool grayInput = layout is PixelLayout.Gray or PixelLayout.GrayAlpha;
        for (int i = 0, s = 0, d = 0; i < pixelCount; i++, s += stride, d += channels)
        {
            byte r, g, b;
            if (grayInput)
            {
                r = g = b = source[s];
            }
            else if (layout == PixelLayout.AdobeCmyk)
            {
                int nk = source[s + 3];
                r = CmykComponent(source[s], nk);
                g = CmykComponent(source[s + 1], nk);
                b = CmykComponent(source[s + 2], nk);
            }
            else
            {
                (r, g, b) = (source[s], source[s + 1], source[s + 2]);
            }

            if (channels == 3)
            {
                result[d] = r;
                result[d + 1] = g;
                result[d + 2] = b;
            }
            else
            {
                // A grey source stays exact (L24 of (v, v, v) is v), so one formula serves both.
                result[d] = grayInput ? r : Luma(r, g, b);
            }
        }
        return result;
    }

    /// <summary>PIL's L24: RGB → L.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    /// <summary>One RGB component from a stored (inverted) Adobe CMYK component and nk = stored K.</summary>
    private static byte CmykComponent(byte stored, int nk)
    {
        int c = 255 - stored;
        int t = c * nk + 128;
        int mul = ((t >> 8) + t) >> 8; // PIL's MULDIV255: round(c * nk / 255)
        return (byte)(nk - mul); // mul <= nk, so no clipping is needed
    }
}
