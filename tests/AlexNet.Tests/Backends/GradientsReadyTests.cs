using AlexNet.Backends;
using AlexNet.Models;
using Xunit;

namespace AlexNet.Tests.Backends;

public sealed class GradientsReadyTests
{
    [Theory]
    [InlineData(Architecture.Mini, null)]
    [InlineData(Architecture.Paper, null)]
    [InlineData(Architecture.Paper, "features")]
    [InlineData(Architecture.Paper, "fc6")]
    [InlineData(Architecture.KerasCifar10, null)] // batch normalization's γ and β too
    [InlineData(Architecture.KerasCifar10, "conv5")]
    public void TheManagedPlanReportsEachLayersFinishedGradients(Architecture architecture, string? freeze) =>
        GradientsReadyCheck.EveryGradientIsReportedOnceInReverseLayerOrderWhenFinal(ManagedBackend.Instance, architecture, freeze);
}
