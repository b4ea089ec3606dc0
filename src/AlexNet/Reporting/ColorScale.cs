using System.Globalization;

namespace AlexNet.Reporting;

/// <summary>
/// A sequential white-to-dark-blue colour scale for heat maps: light means few, dark means many, and it reads
/// the same in greyscale print. Piecewise linear in sRGB between five stops.
/// </summary>
public static class ColorScale
{
    private static readonly (double At, int R, int G, int B)[] Stops =
    [
        (0.00, 0xFF, 0xFF, 0xFF),
        (0.25, 0xC6, 0xDB, 0xEF),
        (0.50, 0x6B, 0xAE, 0xD6),
        (0.75, 0x21, 0x71, 0xB5),
        (1.00, 0x08, 0x30, 0x6B),
    ];

    /// <summary>Fractions above this are dark enough to need white text.</summary>
    public const double DarkFrom = 0.55;

    public static string Color(double fraction)
    {
        var t = double.IsFinite(fraction) ? Math.Clamp(fraction, 0, 1) : 0;
        var upper = 1;
        while (upper < Stops.Length - 1 && Stops[upper].At < t) upper++;
        var (a, b) = (Stops[upper - 1], Stops[upper]);
        var w = (t - a.At) / (b.At - a.At);
        int Mix(int x, int y) => (int)Math.Round(x + (y - x) * w);
        return string.Create(CultureInfo.InvariantCulture, $"#{Mix(a.R, b.R):X2}{Mix(a.G, b.G):X2}{Mix(a.B, b.B):X2}");
    }

    public static string TextColor(double fraction) => fraction > DarkFrom ? "#ffffff" : "#1a1a1a";

    /// <summary>The stops as SVG gradient stops, for a colour bar.</summary>
    public static IEnumerable<(double Offset, string Color)> GradientStops() => Stops.Select(s => (s.At, Color(s.At)));
}
