namespace AlexNet.Kernels;

/// <summary>
/// Shape of one cross-correlation that <see cref="DirectConvolution"/> runs on zero-padded planes.
/// Legend: the source has <paramref name="Channels"/> planes of <paramref name="Height"/>×<paramref name="Width"/>,
/// padded by <paramref name="Padding"/> on every side and correlated with <paramref name="R"/>×R taps every
/// <paramref name="Stride"/> rows and columns.
/// <para>
/// The trick that makes the inner loop a plain vector load: output (p, q) is stored at grid position
/// j = p·Ws + q (Ws the row stride), and tap (c, r, s) reads the padded source at j + c·L + r·Ws + s (L the floats of
/// one channel), so a run of consecutive grid positions reads a run of consecutive source floats, across output rows
/// too. For stride 1 the rows share their padding: Ws = W + pad, not W + 2·pad, since the pad zeros after one row's
/// data are also the pad zeros before the next row's (a tap that reads past the right edge of row ρ lands in the left
/// padding of row ρ + 1). The Ws − Q grid columns q ≥ Q per row are computed and thrown away: pad/(W + pad) of the
/// work (13% on a 13×13 plane with pad 2, where full padding rows would waste 24%).
/// </para>
/// <para>
/// With a stride S &gt; 1 each padded row is stored as S phase rows of Wq = ⌈Wp / S⌉ floats (phase φ holds the
/// columns φ, φ + S, φ + 2S …), so that tap (c, r, s) still reads consecutive floats for consecutive outputs of a
/// row: output (p, q) reads phase s mod S of channel c, row S·p + r, column q + ⌊s / S⌋. Position offsets then
/// step S·Wq per output row (<see cref="RowStride"/>). For S = 1 this is the plain padded layout.
/// </para>
/// </summary>
internal readonly record struct CorrelationLayout(int Channels, int Height, int Width, int Padding, int R, int Stride = 1)
{
    /// <summary>Source floats read past the padded planes by the last, rounded-up vector tile (zeroed).</summary>
    public const int Slack = 32;

    public int PaddedHeight => Height + 2 * Padding;

    public int PaddedWidth => Width + 2 * Padding;

    /// <summary>Floats of one phase row: ⌈Wp / S⌉ (for stride 1, W + pad: rows share their padding).</summary>
    public int PhaseWidth => Stride == 1 ? Width + Padding : (PaddedWidth + Stride - 1) / Stride;

    /// <summary>
    /// Floats of one channel's padded planes, all phases; for stride 1 the last row's right padding, which no next row
    /// provides, adds pad floats.
    /// </summary>
    public int ChannelLength => Stride == 1 ? PaddedHeight * PhaseWidth + Padding : Stride * PaddedHeight * PhaseWidth;

    public int OutputHeight => (PaddedHeight - R) / Stride + 1;

    public int OutputWidth => (PaddedWidth - R) / Stride + 1;

    /// <summary>Source floats from one output row to the next at the same column: S·Wq (W + pad for stride 1).</summary>
    public int RowStride => Stride * PhaseWidth;

    /// <summary>Grid positions from the first output to the last one: (P − 1)·RowStride + Q.</summary>
    public int GridLength => (OutputHeight - 1) * RowStride + OutputWidth;

    /// <summary>Taps per output: C·R·R, ordered (c, r, s) like a row of OIHW weights.</summary>
    public int Taps => Channels * R * R;

    /// <summary>Floats of a padded source buffer, slack included.</summary>
    public int SourceLength => Channels * ChannelLength + Slack;

    /// <summary>Where each tap reads, relative to the grid position: c·L + r·Ws + s for stride 1 (see the summary for S &gt; 1).</summary>
    public int[] TapOffsets()
    {
        var offsets = new int[Taps];
        for (var c = 0; c < Channels; c++)
        for (var r = 0; r < R; r++)
        for (var s = 0; s < R; s++)
        {
            offsets[(c * R + r) * R + s] = c * ChannelLength + (s % Stride * PaddedHeight + r) * PhaseWidth + s / Stride;
        }
        return offsets;
    }

    /// <summary>
    /// Copies <see cref="Channels"/> planes from <paramref name="source"/> (plane stride H·W) into
    /// <paramref name="padded"/> with a zero border and zeroed slack, split into phases for a stride above 1.
    /// </summary>
    public unsafe void Pad(float* source, float* padded)
    {
        if (Stride == 1) PadPlanes(source, padded);
        else PadPhases(source, padded);
        new Span<float>(padded + (long)Channels * ChannelLength, Slack).Clear();
    }

    // Each float written once: the top padding rows with the first row's left padding, then per row its data and the
    // pad zeros it shares with the next row, then the bottom padding rows with the last row's right padding.
    private unsafe void PadPlanes(float* source, float* padded)
    {
        var (ws, hw) = (PhaseWidth, Height * Width);
        for (var c = 0; c < Channels; c++)
        {
            var plane = padded + (long)c * ChannelLength;
            new Span<float>(plane, Padding * ws + Padding).Clear();
            for (var h = 0; h < Height; h++)
            {
                var line = plane + (long)(Padding + h) * ws + Padding;
                new ReadOnlySpan<float>(source + (long)c * hw + (long)h * Width, Width).CopyTo(new Span<float>(line, Width));
                for (var i = Width; i < ws; i++) line[i] = 0f;
            }
            new Span<float>(plane + (long)(Padding + Height) * ws + Padding, Padding * ws).Clear();
        }
    }

    private unsafe void PadPhases(float* source, float* padded)
    {
        new Span<float>(padded, Channels * ChannelLength).Clear();
        var (hp, wq, hw) = (PaddedHeight, PhaseWidth, Height * Width);
        for (var c = 0; c < Channels; c++)
        for (var h = 0; h < Height; h++)
        {
            var from = source + (long)c * hw + (long)h * Width;
            for (var v = 0; v < Width; v++)
            {
                var column = v + Padding;
                padded[((long)(c * Stride + column % Stride) * hp + Padding + h) * wq + column / Stride] = from[v];
            }
        }
    }
}
