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
    /// When channel lanes win, measured on 2 Zen 5 cores (noisy, shared machine; medians of 40 alternated runs):
    /// with at least 32 target channels per group (a full 32-lane tile) and 128 to 2048 taps per output they are
    /// 10-30% faster on MiniAlexNet's conv2 (forward) to conv5 and 5-8% on AlexNet's conv2, conv4 and conv5. With fewer
    /// taps (conv1: 25) scattering each 8×32 tile into NCHW planes costs more than the padding columns saved, with
    /// 16 channels (conv2's input gradient) half the lanes idle, and past 2048 taps (AlexNet's conv3: 2304)
    /// streaming a 32-channel weight panel per 8 positions costs more than it saves.
    /// </summary>
    public const int MinChannelLaneFilters = 32, MinChannelLaneTaps = 128, MaxChannelLaneTaps = 2048;

    /// <summary>Whether the vector lanes run over target channels for this request.</summary>
    public bool ChannelLanes(CorrelationLanes lanes) =>
        lanes == CorrelationLanes.Channels || (lanes == CorrelationLanes.Automatic && Filters >= MinChannelLaneFilters
            && Layout.Taps >= MinChannelLaneTaps && Layout.Taps <= MaxChannelLaneTaps);
}
