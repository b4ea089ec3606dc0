using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// The paper's colour augmentation (§4.1, "altering the intensities of the RGB channels"): for each image,
/// each time it is used, draw α_i ~ N(0, σ²) with σ = <see cref="StandardDeviation"/> (paper: 0.1) and add
/// Σ_i α_i λ_i p_i to every pixel, λ and p from <see cref="PcaStatistics"/> on the 0..1 scale. The paper
/// multiplies by λ_i itself (not √λ_i), as do fb.resnet.torch and torchvision-style reimplementations.
/// </summary>
/// <remarks>
/// Not an <see cref="IImageTransform"/>: on 8-bit pixels the shift (a few 1/255 steps) would be rounded
/// and clipped away, so <see cref="SampleConverter"/> adds it in float during the final conversion.
/// </remarks>
public sealed class PcaLighting
{
    public PcaLighting(PcaStatistics statistics, double standardDeviation = 0.1)
    {
        if (statistics.Eigenvalues.Length is not (1 or 3) || statistics.Eigenvectors.Length != statistics.Eigenvalues.Length
            || statistics.Eigenvectors.Any(v => v.Length != statistics.Eigenvalues.Length))
        {
            throw new AlexNetException(
                $"PCA statistics need 1 or 3 eigenvalues and as many eigenvectors of that length, got {statistics.Eigenvalues.Length} and {statistics.Eigenvectors.Length}.");
        }
        if (!(standardDeviation >= 0) || double.IsInfinity(standardDeviation))
        {
            throw new AlexNetException($"The PCA lighting standard deviation must be finite and not negative, got {standardDeviation}.");
        }
        (Statistics, StandardDeviation) = (statistics, standardDeviation);
    }

    public PcaStatistics Statistics { get; }

    public double StandardDeviation { get; }

    /// <summary>Channels of the images this lighting applies to (1 or 3).</summary>
    public int Channels => Statistics.Channels;

    /// <summary>
    /// One image's colour shift, per image channel (R, G, B order) on the 0..1 scale. Draws exactly
    /// <see cref="Channels"/> normals (α_0 first) even when σ = 0, so the stream's later use is unchanged.
    /// </summary>
    public float[] Draw(RandomStream random)
    {
        var n = Channels;
        var shift = new double[n];
        for (var i = 0; i < n; i++)
        {
            var alpha = random.NextNormal() * StandardDeviation;
            var weight = alpha * Statistics.Eigenvalues[i];
            for (var c = 0; c < n; c++) shift[c] += weight * Statistics.Eigenvectors[i][c];
        }
        return shift.Select(v => (float)v).ToArray();
    }
}
