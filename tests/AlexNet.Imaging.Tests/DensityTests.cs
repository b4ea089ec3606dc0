using AlexNet.Data.Images;

namespace AlexNet.Imaging.Tests;

/// <summary>A header that claims more pixels than its file can encode is refused before the pixel buffer is reserved.</summary>
public sealed class DensityTests
{
    [Fact]
    public void AJpegHeaderClaimingMorePixelsThanItsBytesCanHoldIsRefusedBeforeAllocating()
    {
        // pixel_1x1.jpg with its SOF0 size set to 4000×4000: 16 M pixels (under the 100 M limit) in 633 bytes. The decoder
        // used to reserve 48 MB for them before libjpeg-turbo found the data missing.
        var bytes = File.ReadAllBytes(Fixtures.PathOf("pixel_1x1.jpg"));
        var sof = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        bytes[sof + 5] = 4000 >> 8; bytes[sof + 6] = 4000 & 0xFF; // height
        bytes[sof + 7] = 4000 >> 8; bytes[sof + 8] = 4000 & 0xFF; // width
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Decode(bytes, "big.jpg", 3));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("'big.jpg'", error.Message);
        Assert.Contains("4000×4000", error.Message);
        Assert.Contains("512 pixels per byte", error.Message);
    }

    [Fact]
    public void APngHeaderClaimingMorePixelsThanDeflateCanHoldIsRefused()
    {
        // pixel_1x1.png (69 bytes) with IHDR claiming 9000×9000: 81 M pixels need at least 10 MB of rows, which 69 bytes of
        // deflate cannot hold. The IHDR CRC is fixed so that libpng accepts the header.
        var bytes = File.ReadAllBytes(Fixtures.PathOf("pixel_1x1.png"));
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(16), 9000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(20), 9000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), AlexNet.Reporting.Crc32.Compute(bytes.AsSpan(12, 17)));
        var error = Assert.Throws<AlexNetException>(() => new NativeImageDecoder().Decode(bytes, "big.png", 3));
        Assert.Contains("'big.png'", error.Message);
        Assert.Contains("9000×9000", error.Message);
    }

    [Fact]
    public void EveryFixturePhotoIsFarBelowTheDensityLimits()
    {
        foreach (var name in new[] { "astronaut_420.jpg", "chelsea_progressive.jpg", "camera_1bit.png", "gradient_gray16.png" })
        {
            Assert.Equal(3, new NativeImageDecoder().Load(Fixtures.PathOf(name), 3).Channels);
        }
    }
}
