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
    [InlineData(Architecture.KerasCifar10, null)] // batch normalization's γ and β too
    [InlineData(Architecture.KerasCifar10, "conv5")]
    public void TheOneDnnPlanReportsEachStepsFinishedGradients(Architecture architecture, string? freeze) =>
        GradientsReadyCheck.EveryGradientIsReportedOnceInReverseLayerOrderWhenFinal(OneDnnBackend.Create(), architecture, freeze);
}
