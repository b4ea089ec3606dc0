using System.Globalization;

namespace AlexNet.Data.Transforms;

/// <summary>
/// Image-generator augmentation for training, after Keras's ImageDataGenerator: a random rotation within ±RotateDegrees,
/// independent horizontal and vertical zoom factors in [1 − Zoom, 1 + Zoom], a shift of up to ±Shift of the width and
/// height, edge pixels repeated where the transformed image uncovers the border (fill_mode 'nearest'), and a
/// horizontal flip with probability ½. Written on the command line as <c>rotate=2,zoom=0.1,flip</c>.
/// </summary>
public sealed record AugmentOptions(double RotateDegrees = 0, double Zoom = 0, double Shift = 0, bool Flip = false)
{
    /// <summary>The syntax, for error messages and help.</summary>
    public const string Syntax = "rotate=DEGREES, zoom=FRACTION, shift=FRACTION and flip, comma-separated, or none";

    /// <summary>Whether any geometric transform (rotation, zoom or shift) is drawn.</summary>
    public bool HasAffine => RotateDegrees > 0 || Zoom > 0 || Shift > 0;

    /// <summary>Parses <c>rotate=2,zoom=0.1,flip</c>; errors name the option and the part at fault.</summary>
    public static AugmentOptions Parse(string text)
    {
        var options = new AugmentOptions();
        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)) return options;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (key, value) = part.IndexOf('=') is var at and >= 0 ? (part[..at].Trim().ToLowerInvariant(), part[(at + 1)..].Trim()) : (part.ToLowerInvariant(), null);
            options = key switch
            {
                "flip" when value is null => options with { Flip = true },
                "rotate" => options with { RotateDegrees = Number(key, value, 0, 180, inclusiveMaximum: true) },
                "zoom" => options with { Zoom = Number(key, value, 0, 1, inclusiveMaximum: false) },
                "shift" => options with { Shift = Number(key, value, 0, 1, inclusiveMaximum: false) },
                _ => throw new AlexNetException($"--augment: '{part}' is not understood; use {Syntax}."),
            };
        }
        return options.Validate();
    }

    /// <summary>Checks the ranges (also of options read back from run.json).</summary>
    public AugmentOptions Validate()
    {
        if (!(RotateDegrees is >= 0 and <= 180)) throw new AlexNetException($"--augment: rotate must be in [0, 180] degrees, got {RotateDegrees}.");
        if (!(Zoom is >= 0 and < 1)) throw new AlexNetException($"--augment: zoom must be in [0, 1), got {Zoom}.");
        if (!(Shift is >= 0 and < 1)) throw new AlexNetException($"--augment: shift must be in [0, 1), got {Shift}.");
        return this;
    }

    private static double Number(string key, string? value, double minimum, double maximum, bool inclusiveMaximum)
    {
        if (value is null || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            throw new AlexNetException($"--augment: {key} needs a number, as in {key}={(key == "rotate" ? "2" : "0.1")}.");
        }
        if (!(number >= minimum && (inclusiveMaximum ? number <= maximum : number < maximum)))
        {
            throw new AlexNetException($"--augment: {key} must be in [{minimum}, {maximum}{(inclusiveMaximum ? "]" : ")")}, got {value}.");
        }
        return number;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (RotateDegrees > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"rotate={RotateDegrees:G}"));
        if (Zoom > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"zoom={Zoom:G}"));
        if (Shift > 0) parts.Add(string.Create(CultureInfo.InvariantCulture, $"shift={Shift:G}"));
        if (Flip) parts.Add("flip");
        return parts.Count == 0 ? "none" : string.Join(",", parts);
    }
}
