namespace AlexNet.OneDnn.Tests.Support;

/// <summary>Whether libdnnl2 loads here; checked once.</summary>
internal static class OneDnnAvailability
{
    private static readonly Lazy<string?> Missing = new(() =>
        OneDnnLibrary.TryLoad(OneDnnLibrary.DefaultName, out _, out var reason) ? null : reason);

    /// <summary>Null when the library loads, else why not (naming the Debian package).</summary>
    public static string? Reason => Missing.Value;
}
