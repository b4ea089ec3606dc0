namespace AlexNet.Kernels;

/// <summary>What the vector lanes of a direct correlation run over (see <see cref="DirectCorrelation"/>).</summary>
internal enum CorrelationLanes
{
    /// <summary>Channels where they measured faster (<see cref="CorrelationPass.ChannelLanes"/>), else positions.</summary>
    Automatic,

    /// <summary>Grid positions, 8 channels per register tile (pays for the R − 1 padding columns of each row).</summary>
    Positions,

    /// <summary>Target channels, 8 positions per register tile (pays for channel counts that are not a multiple of 16).</summary>
    Channels,
}
