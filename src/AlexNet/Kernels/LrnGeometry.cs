namespace AlexNet.Kernels;

/// <summary>
/// Cross-channel local response normalization over NCHW input (legend: N batch, C channels, H/W plane).
///   scale[c] = k + (alpha / size) · Σ_{c' = c − ⌊size/2⌋ … c + ⌊(size−1)/2⌋, 0 ≤ c' &lt; C} x[c']²
///   y[c] = x[c] · scale[c]^(−beta)
/// This is PyTorch's LocalResponseNorm and cuda-convnet's formula; the paper's values are size 5,
/// alpha 1e-4, beta 0.75, k 2, Caffe's bvlc_alexnet uses k 1. Channels outside 0..C−1 count as zero.
/// </summary>
public sealed record LrnGeometry(int N, int C, int H, int W, int Size, float Alpha, float Beta, float K)
{
    public int Plane => H * W;

    /// <summary>Channels before c in c's window.</summary>
    public int Before => Size / 2;

    /// <summary>Channels after c in c's window.</summary>
    public int After => (Size - 1) / 2;

    public void Validate()
    {
        if (N < 0 || C <= 0 || H <= 0 || W <= 0 || Size <= 0 || !(Beta >= 0) || !(K > 0) || !(Alpha >= 0))
        {
            throw new ArgumentException($"Invalid local response normalization {this}.");
        }
    }
}
