namespace AlexNet.Kernels;

/// <summary>
/// Shape of a batch normalization over NCHW activations (S = H·W) or (N, C) features (S = 1).
/// Legend: N batch, C channels (features after a dense layer), S positions per channel and sample,
/// M = N·S values per channel over which the batch statistics are taken.
/// </summary>
public sealed record BatchNormGeometry(int N, int C, int S, float Epsilon)
{
    /// <summary>Values per channel in a batch.</summary>
    public int M => N * S;

    public int Length => N * C * S;

    public void Validate()
    {
        if (N <= 0 || C <= 0 || S <= 0) throw new ArgumentException($"Invalid batch normalization geometry {this}.");
        if (!(Epsilon >= 0) || float.IsInfinity(Epsilon)) throw new ArgumentException($"Batch normalization epsilon must be finite and not negative, got {Epsilon}.");
    }
}
