using AlexNet.Backends;
using AlexNet.Models;
using Xunit;

namespace AlexNet.Tests.Backends;

public sealed class GradientsReadyTests
{
    [Theory]
    [InlineData(Architecture.Mini)]
    [InlineData(Architecture.Paper)]
    public void TheManagedPlanReportsEachLayersFinishedGradients(Architecture architecture) =>
        GradientsReadyCheck.EveryGradientIsReportedOnceInReverseLayerOrderWhenFinal(ManagedBackend.Instance, architecture);
}
