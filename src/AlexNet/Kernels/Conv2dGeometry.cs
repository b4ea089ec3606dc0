namespace AlexNet.Kernels;

/// <summary>
/// Shape of a 2-D convolution over NCHW input with OIHW weights.
/// Legend: N batch, C in-channels, H/W input, K out-channels, R kernel (square), P/Q output, G groups.
/// Output size follows PyTorch and Caffe: P = floor((H + 2·padding − R) / stride) + 1.
/// </summary>
public sealed record Conv2dGeometry(int N, int C, int H, int W, int K, int R, int Stride, int Padding, int Groups)
{
    public int P => (H + 2 * Padding - R) / Stride + 1;

    public int Q => (W + 2 * Padding - R) / Stride + 1;

    public int ChannelsPerGroup => C / Groups;

    public int FiltersPerGroup => K / Groups;

    /// <summary>Rows of the unfolded (im2col) input of one group: C/G · R · R.</summary>
    public int PatchLength => ChannelsPerGroup * R * R;

    public int OutputPlane => P * Q;

    public int InputPlane => H * W;

    public int WeightLength => K * PatchLength;

    public void Validate()
    {
        if (N < 0 || C <= 0 || H <= 0 || W <= 0 || K <= 0 || R <= 0 || Stride <= 0 || Padding < 0 || Groups <= 0)
        {
            throw new ArgumentException($"Invalid convolution geometry {this}.");
        }
        if (C % Groups != 0 || K % Groups != 0)
        {
            throw new ArgumentException($"Channels in ({C}) and out ({K}) must both be divisible by groups ({Groups}).");
        }
        if (H + 2 * Padding < R || W + 2 * Padding < R)
        {
            throw new ArgumentException($"Input {H}×{W} with padding {Padding} is smaller than the {R}×{R} kernel.");
        }
    }
}
