namespace AlexNet.Data.Archives;

/// <summary>
/// Reads a tar archive (POSIX ustar, pax extended headers, GNU long names) forward from a stream, such as a GZipStream,
/// with memory bounded by the data that really arrives rather than by what headers claim:
/// <list type="bullet">
/// <item>every header's checksum and number fields are checked (<see cref="TarFields"/>);</item>
/// <item>an entry may not declare more data than the archive can hold: <c>capacity</c> is the most bytes the tar
/// stream can have (a plain file's length; for gzip 1032 × the compressed length, deflate's greatest expansion);</item>
/// <item>pax headers and GNU long names, the only data read whole for the reader itself, are refused over
/// <see cref="MaxExtensionBytes"/>;</item>
/// <item>file data is read by <see cref="ReadData"/> in chunks that grow with what has arrived (at most twice the data
/// present), and skipped through one small buffer otherwise.</item>
/// </list>
/// Problems end in an <see cref="InvalidDataException"/> saying where; the caller names the file.
/// </summary>
internal sealed class TarArchiveReader(Stream stream, long capacity)
{
    /// <summary>A pax header holds a path and a few times; a GNU long name, one path. 64 KiB is far beyond both.</summary>
    public const int MaxExtensionBytes = 64 << 10;

    private const byte PaxHeader = (byte)'x', PaxGlobalHeader = (byte)'g', GnuLongName = (byte)'L', GnuLongLink = (byte)'K';

    private readonly byte[] _header = new byte[TarFields.BlockSize];
    private byte[]? _skipBuffer;
    private long _position;
    private long _unread;
    private long _padding;
    private TarEntry? _current;
    private bool _ended;

    /// <summary>The next entry (extension headers applied), or null at the end of the archive; skips the previous entry's unread data.</summary>
    public TarEntry? Next()
    {
        Skip(_unread + _padding);
        (_unread, _padding, _current) = (0, 0, null);
        string? longName = null;
        Dictionary<string, string>? pax = null;
        while (!_ended)
        {
            var offset = _position;
            if (!ReadHeader(offset)) break;
            if (!TarFields.ChecksumMatches(_header)) throw new InvalidDataException($"the tar header at byte {offset} has a wrong checksum");
            if (!TarFields.TryNumber(TarFields.Size(_header), out var size)) throw new InvalidDataException($"the tar header at byte {offset} has a malformed size");
            var type = TarFields.TypeFlag(_header);
            switch (type)
            {
                case PaxHeader:
                    pax = TarFields.PaxRecords(ReadExtension(size, offset, "pax header"));
                    continue;
                case PaxGlobalHeader:
                    TarFields.PaxRecords(ReadExtension(size, offset, "pax global header"));
                    continue;
                case GnuLongName:
                    longName = TarFields.Text(ReadExtension(size, offset, "GNU long name"));
                    continue;
                case GnuLongLink:
                    ReadExtension(size, offset, "GNU long link name");
                    continue;
            }
            var kind = type switch
            {
                (byte)'0' or 0 or (byte)'7' => TarEntryKind.File,
                >= (byte)'1' and <= (byte)'6' => TarEntryKind.NoData,
                _ => TarEntryKind.Other,
            };
            if (pax is not null && pax.TryGetValue("size", out var paxSize) && !TryDecimal(paxSize, out size))
            {
                throw new InvalidDataException($"the pax header before byte {offset} has a malformed size '{paxSize}'");
            }
            // Links, directories and devices carry no data whatever their size field says (POSIX; Python and GNU tar agree).
            if (kind == TarEntryKind.NoData) size = 0;
            var prefix = TarFields.Prefix(_header);
            var name = pax is not null && pax.TryGetValue("path", out var paxPath) ? paxPath
                : longName ?? (prefix.IsEmpty ? "" : TarFields.Text(prefix) + "/") + TarFields.Text(TarFields.Name(_header));
            CheckFits(size, offset, $"entry '{name}'");
            (_unread, _padding) = (size, Padding(size));
            return _current = new TarEntry(name, kind, size, offset);
        }
        return null;
    }

    /// <summary>The current entry's data, read as it arrives.</summary>
    public byte[] ReadData()
    {
        if (_current is null) throw new InvalidOperationException("No current entry.");
        var chunks = new List<byte[]>();
        long total = 0;
        while (_unread > 0)
        {
            // Chunks grow with what has arrived: small entries stay small, large ones take few copies.
            var chunk = new byte[(int)Math.Min(_unread, Math.Clamp(total, 1 << 16, 1 << 24))];
            Fill(chunk, $"the data of '{_current.Name}'");
            chunks.Add(chunk);
            total += chunk.Length;
            _unread -= chunk.Length;
        }
        if (chunks.Count == 1) return chunks[0];
        var bytes = new byte[total];
        var at = 0;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(bytes, at);
            at += chunk.Length;
        }
        return bytes;
    }

    /// <summary>Reads one header block; false at the end of the archive (two zero blocks, or the stream ending between entries).</summary>
    private bool ReadHeader(long offset)
    {
        var filled = stream.ReadAtLeast(_header, _header.Length, throwOnEndOfStream: false);
        _position += filled;
        // Some writers leave out the end-of-archive blocks: the stream ending between entries ends the archive.
        if (filled == 0 || (filled == _header.Length && TarFields.IsZero(_header)))
        {
            _ended = true;
            return false;
        }
        if (filled < _header.Length) throw new InvalidDataException($"the archive ends inside the tar header at byte {offset}");
        return true;
    }

    private byte[] ReadExtension(long size, long offset, string what)
    {
        if (size > MaxExtensionBytes) throw new InvalidDataException($"the {what} at byte {offset} declares {size:N0} bytes; more than {MaxExtensionBytes:N0} is not a real one");
        CheckFits(size, offset, $"the {what}");
        var data = new byte[size];
        Fill(data, $"the {what} at byte {offset}");
        Skip(Padding(size));
        return data;
    }

    private void CheckFits(long size, long offset, string what)
    {
        if (size > capacity - _position)
        {
            throw new InvalidDataException(
                $"{what} (header at byte {offset}) declares {size:N0} bytes, more than the archive can hold (at most {Math.Max(0, capacity - _position):N0} more)");
        }
    }

    private void Fill(byte[] buffer, string what)
    {
        var filled = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        _position += filled;
        if (filled < buffer.Length) throw new InvalidDataException($"the archive ends inside {what}");
    }

    private void Skip(long count)
    {
        while (count > 0)
        {
            _skipBuffer ??= new byte[1 << 16];
            var chunk = _skipBuffer.AsSpan(0, (int)Math.Min(count, _skipBuffer.Length));
            var filled = stream.ReadAtLeast(chunk, chunk.Length, throwOnEndOfStream: false);
            _position += filled;
            if (filled < chunk.Length) throw new InvalidDataException($"the archive ends inside {(_current is null ? "a header's data" : $"'{_current.Name}'")}");
            count -= filled;
        }
    }

    private static long Padding(long size) => (TarFields.BlockSize - size % TarFields.BlockSize) % TarFields.BlockSize;

    private static bool TryDecimal(string text, out long value)
    {
        value = 0;
        if (text.Length is 0 or > 18) return false;
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }
}
