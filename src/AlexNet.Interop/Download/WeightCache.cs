namespace AlexNet.Interop.Download;

/// <summary>
/// The folder downloaded weights are kept in: <c>$ALEXNET_CACHE</c> when set, else <c>$XDG_CACHE_HOME/alexnet</c>,
/// else <c>~/.cache/alexnet</c> (the XDG base directory convention).
/// </summary>
public static class WeightCache
{
    public const string Variable = "ALEXNET_CACHE";

    public static string DefaultFolder()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } cache) return cache;
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg) return Path.Combine(xdg, "alexnet");
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "alexnet");
    }
}
