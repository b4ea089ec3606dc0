namespace AlexNet.Interop.Download;

/// <summary>
/// torchvision's ImageNet weights for its AlexNet (acc@1 56.522, acc@5 79.066 per torchvision's documentation):
/// where they are published, and the variable that points elsewhere (a mirror, or a local server in tests).
/// </summary>
public static class TorchvisionWeights
{
    public const string DefaultUrl = "https://download.pytorch.org/models/alexnet-owt-7be5be79.pth";

    public const string UrlVariable = "ALEXNET_TORCHVISION_URL";

    /// <summary>The name that <c>alexnet import</c> takes as its source to fetch these weights.</summary>
    public const string SourceName = "torchvision";

    /// <summary><paramref name="url"/>, else <c>$ALEXNET_TORCHVISION_URL</c>, else torchvision's own address.</summary>
    public static Uri Address(string? url)
    {
        var text = url ?? (Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultUrl);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : throw new AlexNetException($"--url: '{text}' is not an absolute URL.");
    }

    /// <summary>The weights in the cache, downloaded first when they are not there yet.</summary>
    public static string Fetch(string? url = null, string? cacheFolder = null, Action<string>? log = null, HttpMessageHandler? handler = null,
        CancellationToken cancellation = default) =>
        VerifiedDownload.Fetch(Address(url), cacheFolder ?? WeightCache.DefaultFolder(), log, handler, cancellation);
}
