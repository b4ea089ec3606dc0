namespace AlexNet.Kernels;

/// <summary>
/// One stride-1 correlation run by <see cref="DirectCorrelation"/>: per sample and group, <see cref="Layout"/>'s
/// source planes (a slice of a source tensor with <paramref name="SourceChannels"/> channels per sample) give
/// <paramref name="Filters"/> target planes (a slice of a target tensor with <paramref name="TargetChannels"/>
/// channels per sample). The forward pass maps x to y; the input gradient maps dy to dx with flipped filters.
/// </summary>
internal readonly record struct CorrelationPass(CorrelationLayout Layout, int SourceChannels, int TargetChannels, int Filters,
    int Groups, int Batch, bool Flipped)
{
    public int SourcePlane => Layout.Height * Layout.Width;

    public int TargetPlane => Layout.OutputHeight * Layout.OutputWidth;

    /// <summary>
    /// When channel lanes win with 32-lane (AVX-512) tiles, measured on 2 Zen 5 cores (noisy, shared machine; medians
    /// of 40 alternated runs): with at least 32 target channels per group (a full 32-lane tile) and 128 to 2048 taps
    /// per output they are 10-30% faster on MiniAlexNet's conv2 (forward) to conv5 and 5-8% on AlexNet's conv2, conv4
    /// and conv5. With fewer taps (conv1: 25) scattering each 8×32 tile into NCHW planes costs more than the padding
    /// columns saved, with 16 channels (conv2's input gradient) half the lanes idle, and past 2048 taps (AlexNet's
    /// conv3: 2304) streaming a 32-channel weight panel per 8 positions costs more than it saves.
    /// </summary>
    public const int MinChannelLaneFilters = 32, MinChannelLaneTaps = 128, MaxChannelLaneTaps = 2048;

    /// <summary>
    /// With narrower tiles (AVX2's 24 lanes) a channel tile reuses each weight vector for only 4 positions, so channel
    /// lanes pay only where padding columns waste a fifth of the position lanes or more: bench/ConvBench on one Zen 3
    /// core measured position lanes 25-45% faster on AlexNet's and torchvision's 13×13 and 27×27 layers (13-15%
    /// padding columns), channel lanes 3-15% faster on MiniAlexNet's 13×13 (5×5 kernel) and 6×6 layers (24-25%).
    /// </summary>
    private const double MinNarrowTilePaddingShare = 0.2;

    /// <summary>Whether the vector lanes run over target channels for this request, with tiles of <paramref name="tileWidth"/> lanes.</summary>
    public bool ChannelLanes(CorrelationLanes lanes, int tileWidth)
    {
        if (lanes != CorrelationLanes.Automatic) return lanes == CorrelationLanes.Channels;
        // Position lanes of a strided layout would compute S − 1 of every S grid columns for nothing.
        if (Layout.Stride > 1) return true;
        var worthIt = Filters >= MinChannelLaneFilters && Layout.Taps >= MinChannelLaneTaps && Layout.Taps <= MaxChannelLaneTaps;
        if (tileWidth >= 32) return worthIt;
        // Measured with rows padded on both sides (W + 2·pad floats); the rows now share their padding, which made
        // position lanes 5-11% faster on 13×13 and 27×27 planes and left 6×6 planes as they were (their grid rounds up
        // to the same two 24-lane tiles either way), so the choice keeps that measure.
        var paddingShare = 1 - (double)Layout.OutputWidth / Layout.PaddedWidth;
        return worthIt && paddingShare >= MinNarrowTilePaddingShare;
    }
}
