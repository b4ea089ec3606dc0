namespace AlexNet.Fuzzing;

/// <summary>
/// One file a format's loader reads, as the mutator sees it: the bytes it mutates (<see cref="Inner"/>) and how they
/// become the file (<see cref="Wrap"/>: identity, or re-zipping a pickle, re-archiving a tar entry, gzip), so that
/// mutants also reach the layers below a container's checksums.
/// </summary>
internal sealed record FuzzFile(string Name, byte[] Inner, Func<byte[], byte[]> Wrap, string Layer)
{
    public static FuzzFile Plain(string name, byte[] bytes) => new(name, bytes, bytes => bytes, "file");
}
