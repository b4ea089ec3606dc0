using AlexNet.Models;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tests.Backends;
using Xunit;

namespace AlexNet.OneDnn.Tests;

public sealed class GradientsReadyTests
{
    [OneDnnTheory]
    [InlineData(Architecture.Mini)]
    [InlineData(Architecture.Paper)]
    public void TheOneDnnPlanReportsEachStepsFinishedGradients(Architecture architecture) =>
        GradientsReadyCheck.EveryGradientIsReportedOnceInReverseLayerOrderWhenFinal(OneDnnBackend.Create(), architecture);
}
