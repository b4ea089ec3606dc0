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
    /// Taps up to which channel lanes win: measured on 2 Zen 5 cores, channel lanes are 10-45% faster on every
    /// MiniAlexNet layer and 5-8% on AlexNet's conv2, conv4 and conv5, but 15% slower on conv3's 2304 taps, where
    /// streaming a 32-channel weight panel (295 KB) per 8 positions costs more than the padding columns saved.
    /// </summary>
    public const int MaxChannelLaneTaps = 2048;

    /// <summary>Whether the vector lanes run over target channels for this request.</summary>
    public bool ChannelLanes(CorrelationLanes lanes) =>
        lanes == CorrelationLanes.Channels || (lanes == CorrelationLanes.Automatic && Layout.Taps <= MaxChannelLaneTaps);
}
