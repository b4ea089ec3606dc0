using System.Text.Json;

namespace AlexNet.Imaging.Tests;

/// <summary>The fixtures written by tests/make_imaging_fixtures.py and its manifest.json.</summary>
internal static class Fixtures
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    private static readonly Lazy<Manifest> s_manifest = new(() =>
        JsonSerializer.Deserialize<Manifest>(File.ReadAllText(PathOf("manifest.json")), new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        }) ?? throw new InvalidOperationException("manifest.json is empty"));

    public static Manifest Manifest => s_manifest.Value;

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static ImageEntry Image(string name) => Manifest.Images.Single(e => e.Name == name);
}

internal sealed record Manifest(string PilVersion, IReadOnlyList<ImageEntry> Images, IReadOnlyList<CorruptEntry> Corrupt, IReadOnlyList<string> Huge);

internal sealed record ImageEntry(string Name, int Width, int Height, string PilMode, string Rgb, string L, int Tolerance, string? Rule);

internal sealed record CorruptEntry(string Name, string Reason);
