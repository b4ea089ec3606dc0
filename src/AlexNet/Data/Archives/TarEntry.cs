namespace AlexNet.Data.Archives;

/// <summary>An entry of a tar archive after its extension headers were applied: the full name, the kind and the data's length.</summary>
internal sealed record TarEntry(string Name, TarEntryKind Kind, long Size, long HeaderOffset);
