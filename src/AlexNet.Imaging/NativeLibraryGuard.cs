using System.Runtime.InteropServices;

namespace AlexNet.Imaging;

/// <summary>
/// Turns a missing native library into an <see cref="AlexNetException"/> that says which Debian package
/// to install, instead of a bare <see cref="DllNotFoundException"/> at the first P/Invoke.
/// </summary>
internal static class NativeLibraryGuard
{
    public const string TurboJpegPackage = "libturbojpeg0";
    public const string PngPackage = "libpng16-16";

    private static volatile bool s_turboJpegLoaded;
    private static volatile bool s_pngLoaded;

    public static void RequireTurboJpeg()
    {
        if (s_turboJpegLoaded) return;
        Require(NativeMethods.TurboJpegLibrary, TurboJpegPackage, "JPEG");
        s_turboJpegLoaded = true;
    }

    public static void RequirePng()
    {
        if (s_pngLoaded) return;
        Require(NativeMethods.PngLibrary, PngPackage, "PNG");
        s_pngLoaded = true;
    }

    /// <summary>
    /// Loads <paramref name="library"/> the way the P/Invoke layer will (dlopen by that name) and throws a
    /// message naming <paramref name="debianPackage"/> if it cannot. The seam tests point it at a bogus name.
    /// The handle is deliberately not freed: the P/Invoke layer loads the same library right after.
    /// </summary>
    public static void Require(string library, string debianPackage, string format)
    {
        if (NativeLibrary.TryLoad(library, typeof(NativeLibraryGuard).Assembly, null, out _)) return;
        throw new AlexNetException(
            $"Cannot decode {format} images: the native library {library} could not be loaded. " +
            $"Install the Debian package {debianPackage} (sudo apt-get install {debianPackage}).");
    }
}
