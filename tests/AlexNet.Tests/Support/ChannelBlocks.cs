namespace AlexNet.Tests.Support;

/// <summary>
/// Re-lays NCHW data into oneDNN's nChw8c blocks and back, element by element: index ((n·⌈C/8⌉ + c/8)·plane +
/// position)·8 + c mod 8, padding lanes of a last partial block left zero.
/// </summary>
public static class ChannelBlocks
{
    public static float[] ToBlocks(float[] planar, int n, int c, int plane)
    {
        var blocked = new float[n * ((c + 7) / 8) * plane * 8];
        for (var i = 0; i < n; i++)
        for (var k = 0; k < c; k++)
        for (var at = 0; at < plane; at++)
        {
            blocked[((i * ((c + 7) / 8) + k / 8) * plane + at) * 8 + k % 8] = planar[(i * c + k) * plane + at];
        }
        return blocked;
    }

    public static float[] FromBlocks(float[] blocked, int n, int c, int plane)
    {
        var planar = new float[n * c * plane];
        for (var i = 0; i < n; i++)
        for (var k = 0; k < c; k++)
        for (var at = 0; at < plane; at++)
        {
            planar[(i * c + k) * plane + at] = blocked[((i * ((c + 7) / 8) + k / 8) * plane + at) * 8 + k % 8];
        }
        return planar;
    }
}
