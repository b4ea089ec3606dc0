using System.Formats.Tar;
using System.Text;
using AlexNet.Data.Archives;
using Xunit;

namespace AlexNet.Tests.Data.Archives;

/// <summary>
/// Our tar reader: archives from .NET's TarWriter in every format it writes read back entry for entry, and hand-made
/// headers that claim more than they hold are refused before anything of that size is allocated.
/// </summary>
public sealed class TarArchiveReaderTests
{
    /// <summary>Well above what the refused archives below really hold (a few KiB), far below what their headers claim.</summary>
    private const long SmallAllocation = 1 << 20;

    [Theory]
    [InlineData(TarEntryFormat.V7)]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    public void ArchivesOfEveryFormatReadBackEntryForEntry(TarEntryFormat format)
    {
        // V7 and ustar names (as TarWriter writes them) end at 100 bytes; pax and GNU take any length.
        var longName = format is TarEntryFormat.V7 or TarEntryFormat.Ustar ? "short/name.bin"
            : string.Join('/', Enumerable.Repeat("folder-with-a-long-name", 8)) + "/data_batch_1";
        var files = new (string Name, byte[] Data)[]
        {
            ("cifar/batches.meta.txt", Encoding.ASCII.GetBytes("airplane\nautomobile\n")),
            (longName, Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray()),
            ("cifar/empty", []),
            ("cifar/exactly-one-block", Enumerable.Repeat((byte)9, 512).ToArray()),
        };
        using var memory = new MemoryStream();
        using (var writer = new TarWriter(memory, format, leaveOpen: true))
        {
            writer.WriteEntry(Entry(format, TarEntryType.Directory, "cifar/", null));
            foreach (var (name, data) in files) writer.WriteEntry(Entry(format, format == TarEntryFormat.V7 ? TarEntryType.V7RegularFile : TarEntryType.RegularFile, name, data));
        }
        var tar = memory.ToArray();
        var reader = new TarArchiveReader(new MemoryStream(tar), tar.Length);
        var directory = reader.Next()!;
        Assert.Equal(("cifar/", TarEntryKind.NoData), (directory.Name, directory.Kind));
        foreach (var (name, data) in files)
        {
            var entry = reader.Next()!;
            Assert.Equal((name, TarEntryKind.File, (long)data.Length), (entry.Name, entry.Kind, entry.Size));
            // The empty entry's data is skipped rather than read, to check skipping too.
            if (data.Length > 0) Assert.Equal(data, reader.ReadData());
        }
        Assert.Null(reader.Next());
    }

    [Fact]
    public void APaxHeaderClaimingHundredsOfMegabytesIsRefusedBeforeAllocating()
    {
        // Found by the fuzzer (bench/fuzz.sh seed 2, cifar-archive mutant 1332): a mutated pax header's size field read
        // 03000000034 (384 MiB) in a 31 KB archive, and .NET's TarReader allocated 537 MB for it.
        var claim = Encoding.ASCII.GetBytes("03000000034\0");
        var tar = Concat(HandTar.Header("././@PaxHeader", 0, 'x', sizeField: claim), new byte[40_000], HandTar.End());
        var error = Refused(tar, tar.Length);
        Assert.Contains("pax header at byte 0 declares 402,653,212 bytes", error.Message);
    }

    [Fact]
    public void AGnuLongNameBeyondTheBoundIsRefused()
    {
        var tar = Concat(HandTar.Header("././@LongLink", TarArchiveReader.MaxExtensionBytes + 1, 'L'), new byte[70_000], HandTar.End());
        Assert.Contains("GNU long name", Refused(tar, tar.Length).Message);
    }

    [Fact]
    public void AnEntryLargerThanTheArchiveCanHoldIsRefusedAtItsHeader()
    {
        // 1 GiB declared in an archive whose stream can hold 100 KB: refused before a byte of its data is read.
        var tar = Concat(HandTar.Header("data_batch_1", 1L << 30), new byte[4096], HandTar.End());
        var error = Refused(tar, capacity: 100_000);
        Assert.Contains("entry 'data_batch_1' (header at byte 0) declares 1,073,741,824 bytes, more than the archive can hold", error.Message);
    }

    [Fact]
    public void APaxSizeOverridesTheHeaderAndIsBoundedToo()
    {
        var data = Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray();
        var good = Concat(HandTar.Pax(("size", "3000"), ("path", "a/very/long/päth")), HandTar.Header("short", 0), data, new byte[72], HandTar.End());
        var reader = new TarArchiveReader(new MemoryStream(good), good.Length);
        var entry = reader.Next()!;
        Assert.Equal(("a/very/long/päth", 3000L), (entry.Name, entry.Size));
        Assert.Equal(data, reader.ReadData());
        Assert.Null(reader.Next());

        var huge = Concat(HandTar.Pax(("size", "99999999999")), HandTar.Header("short", 0), HandTar.End());
        Assert.Contains("entry 'short'", Refused(huge, huge.Length).Message);
        var malformed = Concat(HandTar.Pax(("size", "12x")), HandTar.Header("short", 0), HandTar.End());
        Assert.Contains("malformed size '12x'", Refused(malformed, malformed.Length).Message);
    }

    [Theory]
    [InlineData("0000000008\0\0", "malformed size")]   // 8 is not an octal digit
    [InlineData("00000000 17\0", "malformed size")]    // text after the terminator
    [InlineData("-0000000017\0", "malformed size")]
    public void MalformedSizeFieldsAreRefused(string field, string expected)
    {
        var tar = Concat(HandTar.Header("x", 0, sizeField: Encoding.ASCII.GetBytes(field)), HandTar.End());
        Assert.Contains(expected, Refused(tar, tar.Length).Message);
    }

    [Fact]
    public void AUstarPrefixLeadsTheName()
    {
        var tar = Concat(HandTar.Header("data_batch_1", 0, prefix: "downloads/cifar-10-batches-py"), HandTar.End());
        Assert.Equal("downloads/cifar-10-batches-py/data_batch_1", new TarArchiveReader(new MemoryStream(tar), tar.Length).Next()!.Name);
    }

    [Fact]
    public void GnuBase256SizesAreRead()
    {
        var field = new byte[12];
        field[0] = 0x80;
        field[11] = 0x05;
        var tar = Concat(HandTar.Header("five", 0, sizeField: field), "hello"u8.ToArray(), new byte[507], HandTar.End());
        var reader = new TarArchiveReader(new MemoryStream(tar), tar.Length);
        Assert.Equal(5, reader.Next()!.Size);
        Assert.Equal("hello"u8.ToArray(), reader.ReadData());
    }

    [Fact]
    public void AWrongChecksumIsRefused()
    {
        var tar = Concat(HandTar.Header("x", 0, checksumDelta: 1), HandTar.End());
        Assert.Contains("the tar header at byte 0 has a wrong checksum", Refused(tar, tar.Length).Message);
    }

    [Fact]
    public void TruncationInsideAHeaderOrDataIsRefused()
    {
        var file = HandTar.File("data_batch_1", new byte[2000]);
        var reader = new TarArchiveReader(new MemoryStream(file[..1200]), capacity: 100_000);
        reader.Next();
        Assert.Contains("ends inside the data of 'data_batch_1'", Assert.Throws<InvalidDataException>(reader.ReadData).Message);
        var cut = Concat(file, HandTar.Header("second", 0)[..100]);
        Assert.Contains($"ends inside the tar header at byte {file.Length}", Refused(cut, cut.Length).Message);
    }

    [Fact]
    public void LinksAndDirectoriesCarryNoDataWhateverTheirSizeSays()
    {
        var tar = Concat(HandTar.Header("link", 999_999, '2'), HandTar.File("after", "x"u8.ToArray()), HandTar.End());
        var reader = new TarArchiveReader(new MemoryStream(tar), tar.Length);
        var link = reader.Next()!;
        Assert.Equal((TarEntryKind.NoData, 0L), (link.Kind, link.Size));
        Assert.Equal("after", reader.Next()!.Name);
        Assert.Equal("x"u8.ToArray(), reader.ReadData());
        Assert.Null(reader.Next());
    }

    /// <summary>Reads every entry (and its data) and returns the refusal, checking that the reader stayed small.</summary>
    private static InvalidDataException Refused(byte[] tar, long capacity)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new TarArchiveReader(new MemoryStream(tar), capacity);
            while (reader.Next() is { Kind: TarEntryKind.File }) reader.ReadData();
        });
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < SmallAllocation, $"allocated {allocated:N0} bytes");
        return error;
    }

    private static System.Formats.Tar.TarEntry Entry(TarEntryFormat format, TarEntryType type, string name, byte[]? data)
    {
        System.Formats.Tar.TarEntry entry = format switch
        {
            TarEntryFormat.V7 => new V7TarEntry(type, name),
            TarEntryFormat.Ustar => new UstarTarEntry(type, name),
            TarEntryFormat.Pax => new PaxTarEntry(type, name),
            _ => new GnuTarEntry(type, name),
        };
        if (data is not null) entry.DataStream = new MemoryStream(data);
        return entry;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
