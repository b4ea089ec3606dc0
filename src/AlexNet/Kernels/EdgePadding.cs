namespace AlexNet.Kernels;

/// <summary>
/// Copies planes into wider ones with zero rows below and zero columns to the right, and back: how a convolution
/// gets more padding after the data than before it (TensorFlow's 'same' padding of a strided convolution puts the odd
/// pixel at the bottom and right) from kernels that pad both sides equally. Plain loops: the copy is tiny beside the
/// convolution it serves. Legend: planes = N·C, H/W the plane, extra the added rows and columns.
/// </summary>
public static class EdgePadding
{
    /// <summary>staged (planes, H + extra, W + extra) ← x (planes, H, W) with zeros in the added rows and columns.</summary>
    public static void Pad(ReadOnlySpan<float> x, Span<float> staged, int planes, int h, int w, int extra)
    {
        var (stagedH, stagedW) = (h + extra, w + extra);
        Check(x.Length, staged.Length, planes, h, w, extra);
        staged.Clear();
        for (var p = 0; p < planes; p++)
        for (var row = 0; row < h; row++)
        {
            x.Slice((p * h + row) * w, w).CopyTo(staged.Slice((p * stagedH + row) * stagedW, w));
        }
    }

    /// <summary>dx (planes, H, W) ← the top-left H×W of each plane of staged (planes, H + extra, W + extra).</summary>
    public static void Crop(ReadOnlySpan<float> staged, Span<float> dx, int planes, int h, int w, int extra)
    {
        var (stagedH, stagedW) = (h + extra, w + extra);
        Check(dx.Length, staged.Length, planes, h, w, extra);
        for (var p = 0; p < planes; p++)
        for (var row = 0; row < h; row++)
        {
            staged.Slice((p * stagedH + row) * stagedW, w).CopyTo(dx.Slice((p * h + row) * w, w));
        }
    }

    private static void Check(int plainLength, int stagedLength, int planes, int h, int w, int extra)
    {
        if (extra < 0 || plainLength != planes * h * w || stagedLength != planes * (h + extra) * (w + extra))
        {
            throw new ArgumentException($"Edge padding of {planes} planes {h}×{w} by {extra}: lengths {plainLength} and {stagedLength} do not fit.");
        }
    }
}
