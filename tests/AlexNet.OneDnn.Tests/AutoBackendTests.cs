using System.Globalization;
using System.Text.RegularExpressions;
using AlexNet.Backends;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.OneDnn.Auto;
using AlexNet.OneDnn.Tests.Support;
using AlexNet.Tensors;
using AlexNet.Tests.Backends;
using AlexNet.Tests.Parity;
using AlexNet.Tests.Support;
using Xunit;

namespace AlexNet.OneDnn.Tests;

/// <summary>
/// The default backend times small steps on both backends and keeps the faster one per batch size and mode. The
/// trial's own passes must leave no trace: the parity checks run through it (their reduced networks are small enough
/// to be timed, so the trial runs before their first step), and its choice must follow what it measured.
/// </summary>
public sealed partial class AutoBackendTests
{
    /// <summary>A backend with decisions of its own, so that each test sees its trials happen.</summary>
    private static AutoBackend Auto(TextWriter? notices = null, BackendChoices? choices = null) =>
        new(OneDnnBackend.Create(), notices ?? TextWriter.Null, choices ?? new BackendChoices());

    [OneDnnFact]
    public void PaperFixtureMatchesPyTorchThroughAuto() => PaperFixtureCheck.LogitsLossAndEveryGradient(Auto());

    [OneDnnFact]
    public void PaperLossCurveMatchesPyTorchThroughAuto() => PaperFixtureCheck.LossCurveOfFiveSteps(Auto(), "sgd");

    [OneDnnFact]
    public void KerasCifar10GradientsAndRunningStatisticsMatchPyTorchThroughAuto() => KerasFixtureCheck.LogitsLossGradientsAndStatistics(Auto());

    [OneDnnTheory]
    [InlineData(Architecture.Mini)]
    [InlineData(Architecture.KerasCifar10)]
    public void GradientsAreReportedOnceAndNotForTheTrialsPasses(Architecture architecture) =>
        GradientsReadyCheck.EveryGradientIsReportedOnceInReverseLayerOrderWhenFinal(Auto(), architecture);

    [OneDnnFact]
    public void TheTrialLeavesGradientsAndRunningStatisticsAsItFoundThem()
    {
        var config = new ModelConfig(Architecture.KerasCifar10, Classes: 10, Widths: new LayerWidths(8, 16, 16, 16, 8, 32, 16));
        var network = ModelFactory.Create(config, seed: 3);
        // Gradients and statistics that are not at their initial values, as in the middle of training.
        using (var managed = ManagedBackend.Instance.CreatePlan(network))
        {
            var logits = managed.Forward(Input(network, 4), new ForwardContext(true, 1, 1));
            managed.Backward(new Tensor(logits.Shape, Enumerable.Range(0, (int)logits.Length).Select(i => MathF.Cos(i)).ToArray()));
        }
        var zeroed = network.Parameters[0];
        zeroed.ZeroGradient();
        var gradients = network.Parameters.Select(p => p.Gradient.Data.ToArray()).ToList();
        var statistics = network.Statistics.Select(s => s.Value.Data.ToArray()).ToList();

        using var plan = (AutoPlan)Auto().CreatePlan(network);
        plan.ChosenBackend(3, training: true);

        for (var i = 0; i < gradients.Count; i++) Assert.Equal(gradients[i], network.Parameters[i].Gradient.Data);
        for (var i = 0; i < statistics.Count; i++) Assert.Equal(statistics[i], network.Statistics[i].Value.Data);
        Assert.True(zeroed.GradientIsZero, "a gradient known to be zero before the trial must be known zero after it");
        Assert.False(network.Parameters[1].GradientIsZero);
    }

    [OneDnnFact]
    public void AStepThroughAutoEqualsAStepOnTheBackendItChose()
    {
        var config = new ModelConfig(Architecture.Mini, Classes: 10);
        var (viaAuto, direct) = (ModelFactory.Create(config, 7), ModelFactory.Create(config, 7));
        using var auto = (AutoPlan)Auto().CreatePlan(viaAuto);
        var chosen = auto.ChosenBackend(2, training: true);
        using var plan = (chosen == "managed" ? (IBackend)ManagedBackend.Instance : OneDnnBackend.Create()).CreatePlan(direct);
        var input = Input(viaAuto, 2);
        var context = new ForwardContext(true, 9, 4);
        var (a, b) = (auto.Forward(input, context), plan.Forward(input, context));
        Assert.Equal(b.Data, a.Data);
        var logitsGradient = new Tensor(a.Shape, Enumerable.Range(0, (int)a.Length).Select(i => MathF.Sin(i + 1f)).ToArray());
        auto.Backward(logitsGradient);
        plan.Backward(logitsGradient);
        for (var i = 0; i < viaAuto.Parameters.Count; i++)
        {
            Assert.Equal(direct.Parameters[i].Gradient.Data, viaAuto.Parameters[i].Gradient.Data);
        }
    }

    [OneDnnTheory]
    [InlineData(1, true)]
    [InlineData(8, false)]
    public void ASmallStepRunsOnTheBackendTheTrialFoundFaster(int batch, bool training)
    {
        var notices = new StringWriter();
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, Classes: 10), 1);
        using var plan = (AutoPlan)Auto(notices).CreatePlan(network);
        var chosen = plan.ChosenBackend(batch, training);

        var mode = training ? "training" : "inference";
        var match = TrialNotice().Match(notices.ToString());
        Assert.True(match.Success, $"no trial notice in: {notices}");
        Assert.Equal($"mini batch {batch} {mode}", match.Groups["what"].Value);
        Assert.Equal(chosen, match.Groups["chosen"].Value);
        var (oneDnn, managed) = (Milliseconds(match.Groups["onednn"].Value), Milliseconds(match.Groups["managed"].Value));
        // oneDNN unless the managed step is clearly faster; the notice rounds to 0.01 ms, so the rule is checked away
        // from its boundary by more than that rounding.
        var boundary = AutoPlan.ManagedShare * oneDnn;
        if (managed < boundary - 0.02) Assert.Equal("managed", chosen);
        if (managed > boundary + 0.02) Assert.Equal("onednn", chosen);
        Assert.Equal(chosen, plan.Describe(batch, training).Backend);
        Assert.Single(TrialNotice().Matches(notices.ToString()));
    }

    [OneDnnFact]
    public void EveryPlanSharingTheDecisionsRunsWhereTheFirstTrialDecided()
    {
        var (notices, choices) = (new StringWriter(), new BackendChoices());
        var config = new ModelConfig(Architecture.Mini, Classes: 10);
        using var first = (AutoPlan)Auto(notices, choices).CreatePlan(ModelFactory.Create(config, 1));
        var chosen = first.ChosenBackend(1, training: false);
        using var second = (AutoPlan)Auto(notices, choices).CreatePlan(ModelFactory.Create(config, 2));
        Assert.Equal(chosen, second.ChosenBackend(1, training: false));
        Assert.Single(TrialNotice().Matches(notices.ToString()));
        // Another network shape is another decision.
        using var truncated = (AutoPlan)Auto(notices, choices).CreatePlan(ModelFactory.Create(config, 1).Truncated(5));
        truncated.ChosenBackend(1, training: false);
        Assert.Equal(2, TrialNotice().Matches(notices.ToString()).Count);
    }

    [OneDnnFact]
    public void ALargeStepRunsOnOneDnnWithoutATrial()
    {
        var notices = new StringWriter();
        var network = ModelFactory.Create(new ModelConfig(Architecture.Paper), 1);
        Assert.True(network.MultiplyAdds * 4 > AutoPlan.TrialLimit, "paper at batch 4 must be past the trial limit for this test");
        using var plan = (AutoPlan)Auto(notices).CreatePlan(network);
        Assert.Equal("onednn", plan.ChosenBackend(4, training: false));
        Assert.Equal("", notices.ToString());
    }

    [OneDnnFact]
    public void BatchNormalizationOnOneImageIsNotTimedAndFailsAsOnOneDnn()
    {
        var notices = new StringWriter();
        var network = ModelFactory.Create(new ModelConfig(Architecture.KerasCifar10, Classes: 10), 1);
        using var plan = (AutoPlan)Auto(notices).CreatePlan(network);
        Assert.Equal("onednn", plan.ChosenBackend(1, training: true));
        Assert.Equal("", notices.ToString());
    }

    [OneDnnFact]
    public void ABackwardAfterATrialThatFollowedTheForwardIsRefused()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, Classes: 10), 1);
        using var plan = (AutoPlan)Auto().CreatePlan(network);
        var logits = plan.Forward(Input(network, 2), new ForwardContext(true));
        plan.ChosenBackend(3, training: true);
        Assert.Throws<InvalidOperationException>(() => plan.Backward(new Tensor(logits.Shape)));
    }

    private static Tensor Input(Network network, int batch)
    {
        var input = new Tensor(network.InputShape.WithBatch(batch));
        for (var i = 0; i < input.Length; i++) input.Data[i] = MathF.Sin(i * 0.11f);
        return input;
    }

    private static double Milliseconds(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^auto: (?<what>.+) runs on (?<chosen>onednn|managed) \((?<onednn>\d+\.\d\d) ms per step on onednn, (?<managed>\d+\.\d\d) ms on managed\)$", RegexOptions.Multiline)]
    private static partial Regex TrialNotice();
}
