using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AlexNet.Imaging.Tests;

public sealed class NativeLibraryTests
{
    [Theory]
    [InlineData(NativeLibraryGuard.TurboJpegPackage, "JPEG")]
    [InlineData(NativeLibraryGuard.PngPackage, "PNG")]
    public void MissingLibraryNamesTheDebianPackage(string package, string format)
    {
        var e = Assert.Throws<AlexNetException>(() => NativeLibraryGuard.Require("libalexnet-no-such-library.so.99", package, format));
        Assert.Contains("libalexnet-no-such-library.so.99", e.Message);
        Assert.Contains($"apt-get install {package}", e.Message);
        Assert.Contains(format, e.Message);
    }

    [Fact]
    public void PackagesAreDebianTwelvesNames()
    {
        Assert.Equal("libturbojpeg0", NativeLibraryGuard.TurboJpegPackage);
        Assert.Equal("libpng16-16", NativeLibraryGuard.PngPackage);
    }

    [Fact]
    public void RealLibrariesLoad()
    {
        NativeLibraryGuard.RequireTurboJpeg();
        NativeLibraryGuard.RequirePng();
    }

    [Fact]
    public void PngImageMatchesTheHeaderLayout()
    {
        // png.h 1.6: png_controlp, 7 × png_uint_32, char[64] -> 100 bytes, padded to 104 on x86-64.
        Assert.Equal(104, Unsafe.SizeOf<PngImage>());
        Assert.Equal(8, Marshal.OffsetOf<PngImage>(nameof(PngImage.Version)).ToInt32());
        Assert.Equal(32, Marshal.OffsetOf<PngImage>(nameof(PngImage.WarningOrError)).ToInt32());
        Assert.Equal(36, Marshal.OffsetOf<PngImage>(nameof(PngImage.Message)).ToInt32());
    }
}
