using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlexNet.Checkpoints;

/// <summary>One JSON style for checkpoints, run files and CLI output: snake_case names, enums as names.</summary>
public static class JsonDefaults
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = indented,
    };
}
