namespace AlexNet.Kernels;

/// <summary>
/// Shape of one stride-1 cross-correlation that <see cref="DirectConvolution"/> runs on zero-padded planes.
/// Legend: the source has <paramref name="Channels"/> planes of <paramref name="Height"/>×<paramref name="Width"/>,
/// padded by <paramref name="Padding"/> on every side and correlated with <paramref name="R"/>×R taps.
/// <para>
/// The trick that makes the inner loop a plain vector load: output (p, q) is stored at grid position
/// j = p·Wp + q (Wp the padded width), and tap (c, r, s) reads the padded source at j + c·Hp·Wp + r·Wp + s, so
/// a run of consecutive grid positions reads a run of consecutive source floats, across output rows too. The
/// R − 1 grid columns q ≥ Q per row are computed and thrown away (the price: (R − 1)/Wp of the work).
/// </para>
/// </summary>
internal readonly record struct CorrelationLayout(int Channels, int Height, int Width, int Padding, int R)
{
    /// <summary>Source floats read past the padded planes by the last, rounded-up vector tile (zeroed).</summary>
    public const int Slack = 32;

    public int PaddedHeight => Height + 2 * Padding;

    public int PaddedWidth => Width + 2 * Padding;

    public int PaddedPlane => PaddedHeight * PaddedWidth;

    public int OutputHeight => PaddedHeight - R + 1;

    public int OutputWidth => PaddedWidth - R + 1;

    /// <summary>Grid positions from the first output to the last one: (P − 1)·Wp + Q.</summary>
    public int GridLength => (OutputHeight - 1) * PaddedWidth + OutputWidth;

    /// <summary>Taps per output: C·R·R, ordered (c, r, s) like a row of OIHW weights.</summary>
    public int Taps => Channels * R * R;

    /// <summary>Floats of a padded source buffer, slack included.</summary>
    public int SourceLength => Channels * PaddedPlane + Slack;

    /// <summary>offsets[(c·R + r)·R + s] = c·Hp·Wp + r·Wp + s: where each tap reads, relative to the grid position.</summary>
    public int[] TapOffsets()
    {
        var offsets = new int[Taps];
        for (var c = 0; c < Channels; c++)
        for (var r = 0; r < R; r++)
        for (var s = 0; s < R; s++)
        {
            offsets[(c * R + r) * R + s] = c * PaddedPlane + r * PaddedWidth + s;
        }
        return offsets;
    }

    /// <summary>
    /// Copies <see cref="Channels"/> planes from <paramref name="source"/> (plane stride H·W) into
    /// <paramref name="padded"/> with a zero border and zeroed slack.
    /// </summary>
    public unsafe void Pad(float* source, float* padded)
    {
        var (wp, hw) = (PaddedWidth, Height * Width);
        for (var c = 0; c < Channels; c++)
        {
            var plane = padded + (long)c * PaddedPlane;
            new Span<float>(plane, Padding * wp).Clear();
            for (var h = 0; h < Height; h++)
            {
                var line = plane + (long)(Padding + h) * wp;
                var from = source + (long)c * hw + (long)h * Width;
                for (var i = 0; i < Padding; i++) line[i] = 0f;
                new ReadOnlySpan<float>(from, Width).CopyTo(new Span<float>(line + Padding, Width));
                for (var i = Padding + Width; i < wp; i++) line[i] = 0f;
            }
            new Span<float>(plane + (long)(Padding + Height) * wp, Padding * wp).Clear();
        }
        new Span<float>(padded + (long)Channels * PaddedPlane, Slack).Clear();
    }
}
