using AlexNet.Tensors;

namespace AlexNet.Interop.Tests.Support;

public static class Agreement
{
    /// <summary>max |actual − expected| ≤ relative · max |expected|: the project's float32 parity criterion.</summary>
    public static void Close(Tensor expected, Tensor actual, double relative, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}.");
        var scale = expected.Data.Max(MathF.Abs);
        var worst = 0.0;
        var at = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs((double)actual.Data[i] - expected.Data[i]);
            if (!(error <= worst)) (worst, at) = (error, i);
        }
        Assert.True(worst <= relative * scale,
            $"{what}: error {worst:G4} at {at} (actual {actual.Data[at]:G9}, expected {expected.Data[at]:G9}) exceeds {relative:G2} × {scale:G4}.");
    }
}
