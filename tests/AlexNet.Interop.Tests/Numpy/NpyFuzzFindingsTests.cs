using AlexNet.Interop.Tests.Support;

namespace AlexNet.Interop.Tests.Numpy;

/// <summary>
/// Damaged bvlc_alexnet.npy files (written by tests/make_npy_fuzz_fixtures.py) that ended in exceptions other than our
/// error naming the file, or were read once per key naming an array: each is now refused with our error, and no
/// output is written.
/// </summary>
public sealed class NpyFuzzFindingsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    // Found by the fuzzer (bench/fuzz.sh, format numpy, seed 3, 12 of 8,169 mutants): int.Parse's FormatException.
    [InlineData("shape_not_numbers.npy", "has a .npy header whose shape (x,) is not a tuple of sizes")]
    // Read once per key, an array named under every key would multiply the file's data.
    [InlineData("shared_data.npy", "'conv4.weight' holds the same data as 'conv3.weight'")]
    // fc6's reordering divided by conv5's channels: a DivideByZeroException.
    [InlineData("conv5_no_channels.npy", "'fc6.weight' has 0 inputs, which is not a square of conv5's 0 channels")]
    // The model configuration's own error ("The number of classes must be at least 1") did not name the file.
    [InlineData("no_classes.npy", "do not make a caffe network: The number of classes must be at least 1, got 0")]
    public void ADamagedFileEndsInOurErrorNamingIt(string file, string expected)
    {
        var path = InteropFixtures.Path(Path.Combine("npy_fuzz", file));
        var output = _folder.File("out.safetensors");
        var error = Assert.Throws<AlexNetException>(() => ModelImporter.ImportToFile(new ImportOptions(path), output));
        Assert.Contains(path, error.Message);
        Assert.Contains(expected, error.Message);
        Assert.False(File.Exists(output));
    }
}
