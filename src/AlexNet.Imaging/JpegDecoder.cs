using System.Runtime.InteropServices;
using AlexNet.Data.Images;
using static AlexNet.Imaging.NativeMethods;

namespace AlexNet.Imaging;

/// <summary>
/// JPEG through TurboJPEG 2.1 with its accurate defaults, which is what PIL 9.4 runs (same library, same
/// islow IDCT and fancy upsampling), so the pixels are identical. Thread-safe: one decompressor per call
/// (tjInitDecompress only allocates a small struct; the decode itself dominates).
/// </summary>
internal static unsafe class JpegDecoder
{
    public static Image Decode(ReadOnlySpan<byte> encoded, string source, int channels, long maxPixels)
    {
        NativeLibraryGuard.RequireTurboJpeg();
        using TurboJpegHandle handle = tjInitDecompress();
        if (handle.IsInvalid)
        {
            throw new AlexNetException($"Cannot decode JPEG '{source}': tjInitDecompress failed ({Text(tjGetErrorStr2Null(0))}).");
        }

        fixed (byte* jpeg = encoded)
        {
            var size = new CULong((nuint)encoded.Length);
            if (tjDecompressHeader3(handle, jpeg, size, out int width, out int height, out _, out int colorspace) != 0)
            {
                throw Failure(handle, source, "its header cannot be read");
            }
            ImageLimits.Check(width, height, maxPixels, source);
            ImageLimits.CheckDensity(width, height, encoded.Length, ImageLimits.JpegPixelsPerByte, "JPEG", source);

            (int pixelFormat, PixelLayout layout) = colorspace switch
            {
                TJCS_GRAY => (TJPF_GRAY, PixelLayout.Gray),
                TJCS_CMYK or TJCS_YCCK => (TJPF_CMYK, PixelLayout.AdobeCmyk),
                _ => (TJPF_RGB, PixelLayout.Rgb),
            };
            int decodedChannels = PixelConversions.SourceChannels(layout);
            var pixels = new byte[(long)width * height * decodedChannels];
            fixed (byte* dst = pixels)
            {
                // Any nonzero return is an error, warnings included: a truncated file decodes "successfully"
                // with a grey lower half and a warning, and training on that silently is worse than failing.
                if (tjDecompress2(handle, jpeg, size, dst, width, width * decodedChannels, height, pixelFormat, TJFLAG_DEFAULT) != 0)
                {
                    throw Failure(handle, source, "it is corrupt or truncated");
                }
            }
            return new Image(width, height, channels, PixelConversions.Convert(pixels, width * height, layout, channels));
        }
    }

    private static AlexNetException Failure(TurboJpegHandle handle, string source, string what)
    {
        string kind = tjGetErrorCode(handle) == TJERR_WARNING ? "libjpeg-turbo warning" : "libjpeg-turbo error";
        return new AlexNetException($"Cannot decode JPEG '{source}': {what} ({kind}: {Text(tjGetErrorStr2(handle))}).");
    }

    private static string Text(nint message) => Marshal.PtrToStringUTF8(message) ?? "no message";
}
