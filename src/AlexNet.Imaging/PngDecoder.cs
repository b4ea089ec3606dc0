using AlexNet.Data.Images;
using static AlexNet.Imaging.NativeMethods;

namespace AlexNet.Imaging;

/// <summary>
/// PNG through libpng 1.6's simplified API. The file's own layout is read (grey, grey+alpha, RGB, RGBA;
/// palettes and 1/2/4-bit depths are expanded by libpng) and then converted in managed code the way PIL
/// does, because libpng's own conversions differ from PIL's: asking for RGB from an RGBA file composites
/// onto black, and asking for grey from colour uses libpng's linear-light weights.
/// <para>
/// 16-bit files are scaled to 8 bits as round(v / 257) by libpng. PIL 9.4 keeps the high byte (v &gt;&gt; 8) for
/// 16-bit RGB, RGBA and grey+alpha (so results differ by at most 1), and opens 16-bit grey as mode "I", which
/// convert("L") clips to 0..255 — a PIL bug we do not copy. libpng honours gAMA/sRGB/iCCP-derived gamma where
/// PIL ignores it; PNGs written by PIL (and most others) carry no gAMA, and then both agree exactly.
/// </para>
/// </summary>
internal static unsafe class PngDecoder
{
    public static Image Decode(ReadOnlySpan<byte> encoded, string source, int channels, long maxPixels)
    {
        NativeLibraryGuard.RequirePng();
        PngImage image = default;
        image.Version = PNG_IMAGE_VERSION;
        fixed (byte* png = encoded)
        {
            // libpng keeps a pointer to the memory until finish_read, so both calls stay inside `fixed`.
            try
            {
                if (png_image_begin_read_from_memory(&image, png, (nuint)encoded.Length) == 0)
                {
                    throw Failure(ref image, source, "its header cannot be read");
                }
                ImageLimits.Check(image.Width, image.Height, maxPixels, source);
                ImageLimits.CheckDensity(image.Width, image.Height, encoded.Length, ImageLimits.PngPixelsPerByte, "PNG", source);

                bool color = (image.Format & PNG_FORMAT_FLAG_COLOR) != 0;
                bool alpha = (image.Format & PNG_FORMAT_FLAG_ALPHA) != 0;
                PixelLayout layout = (color, alpha) switch
                {
                    (false, false) => PixelLayout.Gray,
                    (false, true) => PixelLayout.GrayAlpha,
                    (true, false) => PixelLayout.Rgb,
                    (true, true) => PixelLayout.Rgba,
                };
                image.Format = (color ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY) | (alpha ? PNG_FORMAT_FLAG_ALPHA : 0);
                image.Flags |= PNG_IMAGE_FLAG_16BIT_sRGB;

                int width = (int)image.Width, height = (int)image.Height;
                var pixels = new byte[(long)width * height * PixelConversions.SourceChannels(layout)];
                fixed (byte* dst = pixels)
                {
                    if (png_image_finish_read(&image, null, dst, 0, null) == 0)
                    {
                        throw Failure(ref image, source, "it is corrupt or truncated");
                    }
                }
                return new Image(width, height, channels, PixelConversions.Convert(pixels, width * height, layout, channels));
            }
            finally
            {
                png_image_free(&image); // no-op when libpng already released it
            }
        }
    }

    private static AlexNetException Failure(ref PngImage image, string source, string what) =>
        new($"Cannot decode PNG '{source}': {what} (libpng: {image.MessageText}).");
}
