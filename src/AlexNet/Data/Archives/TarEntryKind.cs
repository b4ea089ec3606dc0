namespace AlexNet.Data.Archives;

/// <summary>What a tar entry is, as far as a reader of its files cares.</summary>
internal enum TarEntryKind
{
    /// <summary>A regular file (type '0', NUL or '7'): its data follows the header.</summary>
    File,

    /// <summary>A directory, link, device or FIFO: no data follows, whatever the size field says.</summary>
    NoData,

    /// <summary>A type this reader does not know (GNU sparse, volume, vendor types): its data is skipped.</summary>
    Other,
}
