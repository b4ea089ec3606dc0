using System.Globalization;
using System.Text;

namespace AlexNet.Reporting;

/// <summary>
/// Text for the report's markup. Class names come from users' folder names, so every piece of text is
/// escaped for both element content and quoted attributes, and characters that XML forbids (controls,
/// unpaired surrogates) become U+FFFD so that the file stays well-formed XHTML.
/// </summary>
public static class HtmlText
{
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                case '\t' or '\n' or '\r': builder.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': builder.Append('\uFFFD'); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        builder.Append('\uFFFD');
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Shortens <paramref name="text"/> to at most <paramref name="length"/> characters, ending in an ellipsis when cut.</summary>
    public static string Truncate(string text, int length) =>
        text.Length <= length ? text : string.Concat(text.AsSpan(0, Math.Max(0, length - 1)).TrimEnd(), "…");

    /// <summary>A coordinate or length for SVG: invariant culture, at most two decimals, no exponent.</summary>
    public static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    public static string Percent(double fraction, int decimals = 1) =>
        double.IsNaN(fraction) ? "–" : (fraction * 100).ToString("F" + decimals, CultureInfo.InvariantCulture) + "%";

    public static string Fixed(double value, int decimals) =>
        double.IsNaN(value) ? "–" : value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
