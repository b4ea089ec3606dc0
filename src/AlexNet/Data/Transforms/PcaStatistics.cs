using AlexNet.Data.Images;
using AlexNet.Data.Sources;
using AlexNet.Randomness;

namespace AlexNet.Data.Transforms;

/// <summary>
/// Principal components of the pixel colours of a training set (paper §4.1), on values scaled to [0, 1]:
/// the covariance of the (R, G, B) triples of all pixels, its eigenvalues λ_i in descending order and the
/// unit eigenvectors p_i (<c>Eigenvectors[i]</c> belongs to <c>Eigenvalues[i]</c>, components in R, G, B
/// order). Grey images give one component (the variance). Serializable with System.Text.Json.
/// </summary>
public sealed record PcaStatistics(double[] Eigenvalues, double[][] Eigenvectors)
{
    /// <summary>
    /// The ImageNet statistics used by most AlexNet/ResNet reimplementations: fb.resnet.torch
    /// (datasets/imagenet.lua, "Computed from random subset of ImageNet training images"), inherited from
    /// the Caffe-era ImageNet PCA, on 0..1 RGB. fb.resnet.torch lists the vectors as the COLUMNS of its
    /// <c>eigvec</c> matrix ((-0.5675, 0.7192, 0.4009), (-0.5808, -0.0045, -0.8140), (-0.5836, -0.6948, 0.4203)
    /// are its rows): the first principal component is the brightness direction (−0.5675, −0.5808, −0.5836).
    /// </summary>
    public static PcaStatistics ImageNet { get; } = new(
        [0.2175, 0.0188, 0.0045],
        [
            [-0.5675, -0.5808, -0.5836],
            [0.7192, -0.0045, -0.6948],
            [0.4009, -0.8140, 0.4203],
        ]);

    /// <summary>Number of colour channels the statistics describe (1 or 3).</summary>
    public int Channels => Eigenvalues.Length;

    /// <summary>The covariance V·diag(λ)·Vᵀ the statistics stand for.</summary>
    public double[,] Covariance()
    {
        var n = Channels;
        var covariance = new double[n, n];
        for (var i = 0; i < n; i++)
        for (var r = 0; r < n; r++)
        for (var c = 0; c < n; c++) covariance[r, c] += Eigenvalues[i] * Eigenvectors[i][r] * Eigenvectors[i][c];
        return covariance;
    }

    /// <summary>
    /// Statistics of every pixel of <paramref name="images"/> (all with the same channel count), using the
    /// population covariance (divide by the pixel count). Sums are exact 64-bit integers of 8-bit values.
    /// </summary>
    public static PcaStatistics Compute(IEnumerable<Image> images)
    {
        var channels = 0;
        long pixels = 0;
        var sums = new long[3];
        var products = new long[3, 3];
        foreach (var image in images)
        {
            if (channels == 0) channels = image.Channels;
            if (image.Channels != channels)
            {
                throw new AlexNetException($"PCA statistics need images with one channel count; got {channels} and then {image}.");
            }
            Accumulate(image, sums, products);
            pixels += (long)image.Width * image.Height;
        }
        if (pixels == 0) throw new AlexNetException("PCA statistics need at least one image.");
        var covariance = new double[channels, channels];
        for (var r = 0; r < channels; r++)
        for (var c = 0; c < channels; c++)
        {
            // Only the upper triangle is accumulated.
            var meanProduct = (double)products[Math.Min(r, c), Math.Max(r, c)] / pixels;
            var meanR = (double)sums[r] / pixels;
            var meanC = (double)sums[c] / pixels;
            covariance[r, c] = (meanProduct - meanR * meanC) / (255.0 * 255.0);
        }
        var (values, vectors) = SymmetricEigen.Decompose(covariance);
        // Rounding can leave a tiny negative eigenvalue for a degenerate (e.g. grey-only) colour distribution.
        for (var i = 0; i < values.Length; i++) values[i] = Math.Max(values[i], 0);
        return new PcaStatistics(values, vectors);
    }

    /// <summary>
    /// Statistics over a random sample of at most <paramref name="maxImages"/> images of a source (the
    /// paper used the whole training set; a few thousand images give the same values to about 3 digits).
    /// </summary>
    public static PcaStatistics Compute(ISampleSource source, int channels, int maxImages, ulong seed)
    {
        if (maxImages <= 0) throw new AlexNetException($"PCA statistics need a positive image count, got {maxImages}.");
        var order = new RandomStream(seed, 0x9CA5).Permutation(source.Count);
        var chosen = order.Take(Math.Min(maxImages, order.Length));
        return Compute(chosen.Select(index => source.Load(index, channels)));
    }

    private static void Accumulate(Image image, long[] sums, long[,] products)
    {
        var data = image.Pixels;
        if (image.Channels == 1)
        {
            long sum = 0, square = 0;
            foreach (int v in data)
            {
                sum += v;
                square += v * v;
            }
            sums[0] += sum;
            products[0, 0] += square;
            return;
        }
        // 8-bit products summed over < 2^32 pixels cannot overflow 64 bits; only the upper triangle is kept.
        long r = 0, g = 0, b = 0, rr = 0, rg = 0, rb = 0, gg = 0, gb = 0, bb = 0;
        for (var i = 0; i < data.Length; i += 3)
        {
            int red = data[i], green = data[i + 1], blue = data[i + 2];
            r += red;
            g += green;
            b += blue;
            rr += red * red;
            rg += red * green;
            rb += red * blue;
            gg += green * green;
            gb += green * blue;
            bb += blue * blue;
        }
        (sums[0], sums[1], sums[2]) = (sums[0] + r, sums[1] + g, sums[2] + b);
        products[0, 0] += rr;
        products[0, 1] += rg;
        products[0, 2] += rb;
        products[1, 1] += gg;
        products[1, 2] += gb;
        products[2, 2] += bb;
    }
}
