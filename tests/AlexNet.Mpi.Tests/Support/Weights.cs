using AlexNet.Checkpoints;

namespace AlexNet.Mpi.Tests.Support;

/// <summary>Compares the weights of two checkpoints tensor by tensor.</summary>
internal static class Weights
{
    /// <summary>Largest |a − b| / max |a| over every parameter (each tensor against its own scale).</summary>
    public static (double Worst, string Where) LargestRelativeDifference(string expectedCheckpoint, string actualCheckpoint)
    {
        var expected = Checkpoint.Load(expectedCheckpoint).Network;
        var actual = Checkpoint.Load(actualCheckpoint).Network;
        var (worst, where) = (0.0, "");
        foreach (var parameter in expected.Parameters)
        {
            Assert.True(actual.TryGetParameter(parameter.Name, out var other), $"{actualCheckpoint} lacks {parameter.Name}");
            var scale = parameter.Value.Data.Max(v => Math.Abs((double)v));
            var difference = parameter.Value.Data.Zip(other.Value.Data, (a, b) => Math.Abs((double)a - b)).Max();
            var relative = difference / Math.Max(scale, 1e-12);
            if (relative > worst) (worst, where) = (relative, parameter.Name);
        }
        return (worst, where);
    }
}
