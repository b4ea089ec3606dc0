using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Support;

public static class TensorAssert
{
    /// <summary>
    /// Element-wise closeness relative to the expected tensor's largest magnitude:
    /// max |actual − expected| ≤ relative · max |expected| (+ a tiny floor for all-zero tensors). Scaling by the
    /// tensor's magnitude rather than each element's keeps near-zero elements, whose float32 rounding differs
    /// between summation orders, from failing a comparison that is correct everywhere else.
    /// </summary>
    public static void Close(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double relative, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} values, expected {expected.Length}.");
        double scale = 0, worst = 0;
        var worstIndex = -1;
        foreach (var e in expected) scale = Math.Max(scale, Math.Abs(e));
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs((double)actual[i] - expected[i]);
            if (!(error <= worst)) (worst, worstIndex) = (error, i);
        }
        var tolerance = relative * scale + 1e-12;
        Assert.True(worst <= tolerance,
            $"{what}: max error {worst:G4} at index {worstIndex} (actual {actual[Math.Max(0, worstIndex)]:G9}, expected {expected[Math.Max(0, worstIndex)]:G9}) exceeds {tolerance:G4} = {relative:G2} × max|expected| {scale:G4}.");
    }

    public static void Close(Tensor expected, Tensor actual, double relative, string what)
    {
        Assert.True(expected.Shape.Equals(actual.Shape), $"{what}: shape {actual.Shape}, expected {expected.Shape}.");
        Close(expected.Data, actual.Data, relative, what);
    }

    public static Tensor Random(Random random, params int[] shape)
    {
        var tensor = new Tensor(shape);
        for (var i = 0; i < tensor.Length; i++) tensor.Data[i] = (float)(random.NextDouble() * 2 - 1);
        return tensor;
    }
}
