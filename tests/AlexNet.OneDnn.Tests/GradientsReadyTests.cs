using AlexNet.Models;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tests.Backends;
using Xunit;

namespace AlexNet.OneDnn.Tests;

public sealed class GradientsReadyTests
{
    [OneDnnTheory]
    [InlineData(Architecture.Mini, null)]
    [InlineData(Architecture.Paper, null)]
    [InlineData(Architecture.Paper, "features")]
    [InlineData(Architecture.Paper, "fc6")]
    public void TheOneDnnPlanReportsEachStepsFinishedGradients(Architecture architecture, string? freeze) =>
        GradientsReadyCheck.EveryGradientIsReportedOnceInReverseLayerOrderWhenFinal(OneDnnBackend.Create(), architecture, freeze);
}
