using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tests.Parity;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>The reduced-width paper AlexNet on oneDNN against PyTorch (see <see cref="PaperFixtureCheck"/>).</summary>
public sealed class PaperFixtureTests
{
    [OneDnnFact]
    public void LogitsLossAndEveryGradientMatchPyTorch() => PaperFixtureCheck.LogitsLossAndEveryGradient(OneDnnBackend.Create());

    [OneDnnTheory]
    [InlineData("sgd")]
    [InlineData("nesterov")]
    [InlineData("adam")]
    public void LossCurveOfFiveStepsMatchesPyTorch(string optimizerName) => PaperFixtureCheck.LossCurveOfFiveSteps(OneDnnBackend.Create(), optimizerName);
}
