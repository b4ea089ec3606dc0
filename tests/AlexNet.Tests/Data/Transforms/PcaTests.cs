using System.Text.Json;
using AlexNet.Checkpoints;
using AlexNet.Data.Images;
using AlexNet.Data.Transforms;
using AlexNet.Randomness;
using Xunit;

namespace AlexNet.Tests.Data.Transforms;

public sealed class PcaTests
{
    [Theory]
    [InlineData(3, 1UL)]
    [InlineData(3, 2UL)]
    [InlineData(5, 3UL)]
    [InlineData(1, 4UL)]
    public void JacobiDecomposesSymmetricMatrices(int n, ulong seed)
    {
        var random = new RandomStream(seed);
        var matrix = new double[n, n];
        for (var r = 0; r < n; r++)
        for (var c = r; c < n; c++) matrix[r, c] = matrix[c, r] = random.NextNormal();
        var (values, vectors) = SymmetricEigen.Decompose(matrix);
        for (var i = 1; i < n; i++) Assert.True(values[i - 1] >= values[i], "Eigenvalues must be sorted in descending order.");
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++) Assert.Equal(i == j ? 1.0 : 0.0, Dot(vectors[i], vectors[j]), 12);
            for (var r = 0; r < n; r++)
            {
                var av = 0.0;
                for (var c = 0; c < n; c++) av += matrix[r, c] * vectors[i][c];
                Assert.Equal(values[i] * vectors[i][r], av, 10);
            }
        }
        var reconstructed = new PcaStatistics(values, vectors).Covariance();
        for (var r = 0; r < n; r++)
        for (var c = 0; c < n; c++) Assert.Equal(matrix[r, c], reconstructed[r, c], 10);
    }

    [Fact]
    public void JacobiHandlesDiagonalAndRepeatedEigenvalues()
    {
        var (values, vectors) = SymmetricEigen.Decompose(new double[,] { { 1, 0, 0 }, { 0, 3, 0 }, { 0, 0, 2 } });
        Assert.Equal([3.0, 2.0, 1.0], values);
        Assert.Equal([0.0, 1.0, 0.0], vectors[0]);
        (values, _) = SymmetricEigen.Decompose(new double[,] { { 2, 1, 1 }, { 1, 2, 1 }, { 1, 1, 2 } });
        Assert.Equal(4.0, values[0], 12);
        Assert.Equal(1.0, values[1], 12);
        Assert.Equal(1.0, values[2], 12);
    }

    [Fact]
    public void RecoversAKnownColourCovariance()
    {
        // Orthonormal axes (a rotation of the RGB cube) and eigenvalues on the 0..1 scale.
        var axes = Orthonormal([1, 1, 1], [1, 0, -1]);
        double[] lambdas = [0.01, 0.003, 0.0008];
        var random = new RandomStream(11);
        var images = new List<Image>();
        for (var n = 0; n < 8; n++)
        {
            var pixels = new byte[100 * 100 * 3];
            for (var p = 0; p < 100 * 100; p++)
            {
                var z = lambdas.Select(l => Math.Sqrt(l) * random.NextNormal()).ToArray();
                for (var c = 0; c < 3; c++)
                {
                    var value = 0.5 + z[0] * axes[0][c] + z[1] * axes[1][c] + z[2] * axes[2][c];
                    pixels[p * 3 + c] = (byte)Math.Clamp(Math.Round(value * 255), 0, 255);
                }
            }
            images.Add(new Image(100, 100, 3, pixels));
        }

        var statistics = PcaStatistics.Compute(images);

        // Exactly the sample covariance of the 8-bit values...
        var expected = SampleCovariance(images);
        var covariance = statistics.Covariance();
        for (var r = 0; r < 3; r++)
        for (var c = 0; c < 3; c++) Assert.Equal(expected[r, c], covariance[r, c], 12);
        // ...and, within sampling error (80,000 pixels) plus the rounding variance 1/12 of a level², the generating one.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(lambdas[i], statistics.Eigenvalues[i], lambdas[i] * 0.03 + 3e-6);
            Assert.True(Math.Abs(Dot(axes[i], statistics.Eigenvectors[i])) > 0.995, $"Eigenvector {i} is off: {string.Join(", ", statistics.Eigenvectors[i])}.");
        }
    }

    [Fact]
    public void GreyImagesHaveOneComponent()
    {
        var images = new[] { new Image(2, 1, 1, [0, 255]) };
        var statistics = PcaStatistics.Compute(images);
        Assert.Equal(0.25, statistics.Eigenvalues.Single(), 12);
        Assert.Equal([1.0], statistics.Eigenvectors.Single());
    }

    [Fact]
    public void MixedChannelCountsAndEmptyInputAreErrors()
    {
        var error = Assert.Throws<AlexNetException>(() => PcaStatistics.Compute([new Image(1, 1, 3, [1, 2, 3]), new Image(1, 1, 1, [4])]));
        Assert.Contains("Image(1×1×1)", error.Message);
        Assert.Throws<AlexNetException>(() => PcaStatistics.Compute([]));
    }

    [Fact]
    public void ImageNetStatisticsAreOrthonormalWithBrightnessFirst()
    {
        var imageNet = PcaStatistics.ImageNet;
        for (var i = 0; i < 3; i++)
        for (var j = 0; j < 3; j++) Assert.Equal(i == j ? 1.0 : 0.0, Dot(imageNet.Eigenvectors[i], imageNet.Eigenvectors[j]), 3);
        // Natural images' colour channels are positively correlated; the top component is brightness.
        var covariance = imageNet.Covariance();
        foreach (var value in covariance) Assert.True(value > 0, "Every RGB covariance of ImageNet is positive.");
        Assert.True(Math.Abs(Dot(imageNet.Eigenvectors[0], [1 / Math.Sqrt(3), 1 / Math.Sqrt(3), 1 / Math.Sqrt(3)])) > 0.999);
    }

    [Fact]
    public void StatisticsRoundTripThroughJson()
    {
        var json = JsonSerializer.Serialize(PcaStatistics.ImageNet, JsonDefaults.Options);
        Assert.Contains("\"eigenvalues\"", json);
        var back = JsonSerializer.Deserialize<PcaStatistics>(json, JsonDefaults.Options)!;
        Assert.Equal(PcaStatistics.ImageNet.Eigenvalues, back.Eigenvalues);
        for (var i = 0; i < 3; i++) Assert.Equal(PcaStatistics.ImageNet.Eigenvectors[i], back.Eigenvectors[i]);
    }

    [Fact]
    public void LightingAddsAlphaLambdaP()
    {
        var lighting = new PcaLighting(PcaStatistics.ImageNet);
        var shift = lighting.Draw(new RandomStream(3, 4));
        var reference = new RandomStream(3, 4);
        var alphas = Enumerable.Range(0, 3).Select(_ => 0.1 * reference.NextNormal()).ToArray();
        for (var c = 0; c < 3; c++)
        {
            var expected = Enumerable.Range(0, 3).Sum(i => alphas[i] * PcaStatistics.ImageNet.Eigenvalues[i] * PcaStatistics.ImageNet.Eigenvectors[i][c]);
            Assert.Equal(expected, shift[c], 6);
        }
        Assert.Equal(shift, lighting.Draw(new RandomStream(3, 4)));
        Assert.NotEqual(shift, lighting.Draw(new RandomStream(3, 5)));
        Assert.All(new PcaLighting(PcaStatistics.ImageNet, 0).Draw(new RandomStream(1)), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void BadLightingSettingsAreErrors()
    {
        Assert.Contains("-1", Assert.Throws<AlexNetException>(() => new PcaLighting(PcaStatistics.ImageNet, -1)).Message);
        Assert.Throws<AlexNetException>(() => new PcaLighting(new PcaStatistics([1, 2], [[1, 0], [0, 1]])));
    }

    private static double Dot(double[] a, double[] b) => a.Zip(b, (x, y) => x * y).Sum();

    /// <summary>Gram–Schmidt of two directions plus their cross product.</summary>
    private static double[][] Orthonormal(double[] a, double[] b)
    {
        var u = Normalize(a);
        var projection = Dot(b, u);
        var v = Normalize(b.Select((x, i) => x - projection * u[i]).ToArray());
        var w = new[] { u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0] };
        return [u, v, w];
    }

    private static double[] Normalize(double[] a)
    {
        var norm = Math.Sqrt(Dot(a, a));
        return a.Select(x => x / norm).ToArray();
    }

    private static double[,] SampleCovariance(IEnumerable<Image> images)
    {
        var values = images.SelectMany(image => image.Pixels.Chunk(3)).Select(p => p.Select(v => v / 255.0).ToArray()).ToArray();
        var mean = Enumerable.Range(0, 3).Select(c => values.Average(p => p[c])).ToArray();
        var covariance = new double[3, 3];
        for (var r = 0; r < 3; r++)
        for (var c = 0; c < 3; c++) covariance[r, c] = values.Average(p => (p[r] - mean[r]) * (p[c] - mean[c]));
        return covariance;
    }
}
