using AlexNet.Backends;
using Xunit;

namespace AlexNet.Tests.Parity;

/// <summary>The reduced-width paper AlexNet on the managed backend against PyTorch (see <see cref="PaperFixtureCheck"/>).</summary>
public sealed class NetworkParityTests
{
    [Fact]
    public void LogitsLossAndEveryGradientMatchPyTorch() => PaperFixtureCheck.LogitsLossAndEveryGradient(ManagedBackend.Instance);

    [Theory]
    [InlineData("sgd")]
    [InlineData("nesterov")]
    [InlineData("adam")]
    public void LossCurveOfFiveStepsMatchesPyTorch(string optimizerName) => PaperFixtureCheck.LossCurveOfFiveSteps(ManagedBackend.Instance, optimizerName);
}
