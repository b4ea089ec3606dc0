using System.Globalization;

namespace AlexNet.Reporting;

/// <summary>
/// A chart axis: its range, its tick values and how to place a value on it. Linear axes round their range
/// out to "nice" steps of 1, 2 or 5 × 10^k (Heckbert, "Nice numbers for graph labels", Graphics Gems 1990);
/// logarithmic axes span whole decades with a tick at each.
/// </summary>
public sealed class Axis
{
    private Axis(double min, double max, IReadOnlyList<double> ticks, bool logarithmic, ValueFormat format, int decimals)
    {
        (Min, Max, Ticks, Logarithmic, Format, _decimals) = (min, max, ticks, logarithmic, format, decimals);
    }

    private readonly int _decimals;

    public double Min { get; }

    public double Max { get; }

    public IReadOnlyList<double> Ticks { get; }

    public bool Logarithmic { get; }

    public ValueFormat Format { get; }

    /// <summary>Where <paramref name="value"/> lies between Min (0) and Max (1).</summary>
    public double Fraction(double value) => Logarithmic
        ? (Math.Log10(value) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min))
        : (value - Min) / (Max - Min);

    public string Label(double value)
    {
        if (Logarithmic) return value.ToString("G3", CultureInfo.InvariantCulture);
        return Format == ValueFormat.Percent
            ? (value * 100).ToString("F" + Math.Max(0, _decimals - 2), CultureInfo.InvariantCulture) + "%"
            : value.ToString("F" + _decimals, CultureInfo.InvariantCulture);
    }

    /// <summary>A linear axis covering [lo, hi] with about <paramref name="targetTicks"/> ticks; whole steps only when <paramref name="integers"/>.</summary>
    public static Axis Linear(double lo, double hi, ValueFormat format = ValueFormat.Number, int targetTicks = 5, bool integers = false)
    {
        if (!double.IsFinite(lo) || !double.IsFinite(hi)) (lo, hi) = (0, 1);
        if (hi < lo) (lo, hi) = (hi, lo);
        if (hi - lo < 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            // A flat series (a constant learning rate): centre it in a small range around its value.
            var pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            (lo, hi) = (lo - pad, hi + pad);
        }
        var step = NiceNumber((hi - lo) / Math.Max(1, targetTicks - 1));
        if (integers) step = Math.Max(1, Math.Round(step));
        var min = Math.Floor(lo / step) * step;
        var max = Math.Ceiling(hi / step) * step;
        var ticks = new List<double>();
        for (var i = 0; min + i * step <= max + step * 1e-9; i++) ticks.Add(Math.Round(min + i * step, 12));
        var decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        if (Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-6) decimals++;
        return new Axis(min, max, ticks, false, format, decimals);
    }

    /// <summary>A base-10 logarithmic axis over whole decades covering [lo, hi] (both positive).</summary>
    public static Axis Log(double lo, double hi)
    {
        var low = Math.Floor(Math.Log10(lo) + 1e-9);
        var high = Math.Ceiling(Math.Log10(hi) - 1e-9);
        if (high <= low) high = low + 1;
        var ticks = new List<double>();
        for (var e = low; e <= high; e++) ticks.Add(Math.Pow(10, e));
        return new Axis(ticks[0], ticks[^1], ticks, true, ValueFormat.Number, 0);
    }

    /// <summary>The "nice" number (1, 2, 5 or 10 × 10^k) nearest to <paramref name="range"/>.</summary>
    private static double NiceNumber(double range)
    {
        var exponent = Math.Floor(Math.Log10(range));
        var fraction = range / Math.Pow(10, exponent);
        var nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
        return nice * Math.Pow(10, exponent);
    }
}
