using System.Runtime.InteropServices;

namespace AlexNet.Imaging;

/// <summary>
/// Every P/Invoke declaration of libjpeg-turbo's TurboJPEG 2.x API (Debian package libturbojpeg0,
/// /usr/include/turbojpeg.h) and libpng 1.6's simplified read API (libpng16-16, /usr/include/png.h).
/// Callers first run <see cref="NativeLibraryGuard.RequireTurboJpeg"/> / <see cref="NativeLibraryGuard.RequirePng"/>
/// so that a missing library becomes an <see cref="AlexNetException"/> naming the package.
/// </summary>
internal static unsafe partial class NativeMethods
{
    public const string TurboJpegLibrary = "libturbojpeg.so.0";
    public const string PngLibrary = "libpng16.so.16";

    // ---- TurboJPEG 2.1 (turbojpeg.h) ----

    /// <summary>enum TJPF: packed pixel formats.</summary>
    public const int TJPF_RGB = 0;
    public const int TJPF_GRAY = 6;
    public const int TJPF_CMYK = 11;

    /// <summary>enum TJCS: JPEG colorspaces reported by tjDecompressHeader3.</summary>
    public const int TJCS_RGB = 0;
    public const int TJCS_YCbCr = 1;
    public const int TJCS_GRAY = 2;
    public const int TJCS_CMYK = 3;
    public const int TJCS_YCCK = 4;

    /// <summary>enum TJERR: tjGetErrorCode's answer; a warning (e.g. truncated data) still returned -1.</summary>
    public const int TJERR_WARNING = 0;
    public const int TJERR_FATAL = 1;

    /// <summary>No TJFLAG_FASTDCT / TJFLAG_FASTUPSAMPLE: the accurate defaults are what PIL 9.4 uses.</summary>
    public const int TJFLAG_DEFAULT = 0;

    [LibraryImport(TurboJpegLibrary)]
    public static partial TurboJpegHandle tjInitDecompress();

    [LibraryImport(TurboJpegLibrary)]
    public static partial int tjDecompressHeader3(
        TurboJpegHandle handle, byte* jpegBuf, CULong jpegSize, out int width, out int height, out int jpegSubsamp, out int jpegColorspace);

    [LibraryImport(TurboJpegLibrary)]
    public static partial int tjDecompress2(
        TurboJpegHandle handle, byte* jpegBuf, CULong jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    /// <summary>Returns a pointer to a static or per-handle string; never freed by the caller.</summary>
    [LibraryImport(TurboJpegLibrary)]
    public static partial nint tjGetErrorStr2(TurboJpegHandle handle);

    /// <summary>The same, for a failed tjInitDecompress (NULL handle).</summary>
    [LibraryImport(TurboJpegLibrary, EntryPoint = "tjGetErrorStr2")]
    public static partial nint tjGetErrorStr2Null(nint handle);

    [LibraryImport(TurboJpegLibrary)]
    public static partial int tjGetErrorCode(TurboJpegHandle handle);

    [LibraryImport(TurboJpegLibrary)]
    public static partial int tjDestroy(nint handle);

    // ---- libpng 1.6 simplified API (png.h) ----

    public const uint PNG_IMAGE_VERSION = 1;
    public const uint PNG_FORMAT_FLAG_ALPHA = 0x01;
    public const uint PNG_FORMAT_FLAG_COLOR = 0x02;
    public const uint PNG_FORMAT_GRAY = 0;
    public const uint PNG_FORMAT_GA = PNG_FORMAT_FLAG_ALPHA;
    public const uint PNG_FORMAT_RGB = PNG_FORMAT_FLAG_COLOR;
    public const uint PNG_FORMAT_RGBA = PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA;

    /// <summary>
    /// Without this flag the simplified API assumes 16-bit samples are *linear* when the file has no
    /// gAMA/sRGB chunk and gamma-encodes them on the way to 8 bits (values off by up to ~70). With it,
    /// 16-bit data is taken as sRGB and scaled to 8 bits as round(v / 257).
    /// </summary>
    public const uint PNG_IMAGE_FLAG_16BIT_sRGB = 0x04;

    /// <summary>Low two bits of warning_or_error: 1 warning, 2 error, 3 error after a warning.</summary>
    public const uint PNG_IMAGE_ERROR = 2;

    [LibraryImport(PngLibrary)]
    public static partial int png_image_begin_read_from_memory(PngImage* image, byte* memory, nuint size);

    [LibraryImport(PngLibrary)]
    public static partial int png_image_finish_read(PngImage* image, void* background, byte* buffer, int rowStride, void* colormap);

    [LibraryImport(PngLibrary)]
    public static partial void png_image_free(PngImage* image);
}
