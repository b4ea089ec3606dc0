namespace AlexNet.Optim;

public enum ScheduleKind
{
    Constant,
    Step,
    Plateau,
}

/// <summary>The figure a plateau schedule watches: validation loss (lower is better) or validation top-1 (higher is better).</summary>
public enum PlateauMonitor
{
    ValLoss,
    ValTop1,
}

public static class PlateauMonitorNames
{
    /// <summary>The command line's spelling: <c>val_loss</c>, <c>val_top1</c>.</summary>
    public static string ToName(this PlateauMonitor monitor) => monitor == PlateauMonitor.ValTop1 ? "val_top1" : "val_loss";
}

/// <summary>
/// Schedule settings. Step: lr · gamma^⌊epoch / step size⌋. Plateau: PyTorch's ReduceLROnPlateau with relative
/// threshold, in 'min' mode on validation loss or 'max' mode on validation top-1 (<see cref="Monitor"/>): the lr is
/// multiplied by <see cref="Factor"/>, never below <see cref="MinLearningRate"/>, after more than
/// <see cref="Patience"/> epochs without improvement — the paper's "divide the learning rate by 10 when the validation
/// error rate stopped improving". (Keras's ReduceLROnPlateau reduces after exactly <c>patience</c> such epochs.)
/// </summary>
public sealed record ScheduleOptions(
    ScheduleKind Kind = ScheduleKind.Constant,
    int StepSize = 30,
    double Gamma = 0.1,
    double Factor = 0.1,
    int Patience = 2,
    double MinLearningRate = 1e-6,
    double Threshold = 1e-4,
    PlateauMonitor Monitor = PlateauMonitor.ValLoss)
{
    /// <summary>Checks the values a user can set, naming the option at fault.</summary>
    public ScheduleOptions Validate()
    {
        if (!(Factor > 0 && Factor < 1)) throw new AlexNetException($"--plateau-factor must be in (0, 1), got {Factor}.");
        if (!(MinLearningRate >= 0) || double.IsInfinity(MinLearningRate)) throw new AlexNetException($"--min-lr must be a number of at least 0, got {MinLearningRate}.");
        if (Patience < 0) throw new AlexNetException($"--patience must not be negative, got {Patience}.");
        if (StepSize < 1) throw new AlexNetException($"--step-size must be at least 1, got {StepSize}.");
        return this;
    }
}

/// <summary>Where a schedule stands; saved in checkpoints so that a resumed run continues the schedule.</summary>
public sealed record ScheduleState(double BestMetric = double.PositiveInfinity, int BadEpochs = 0);

/// <summary>Decides the learning rate of the next epoch from the epoch just completed.</summary>
public sealed class LearningRateSchedule(ScheduleOptions options, double initialLearningRate)
{
    public ScheduleOptions Options { get; } = options;

    public ScheduleState State { get; set; } = new();

    /// <summary>
    /// The learning rate for the epoch after <paramref name="completedEpochs"/> epochs, given the current rate
    /// and the monitored figure of the epoch just finished (<see cref="ScheduleOptions.Monitor"/>; null when there is none).
    /// </summary>
    public double Next(int completedEpochs, double currentLearningRate, double? monitored)
    {
        switch (Options.Kind)
        {
            case ScheduleKind.Step:
                return initialLearningRate * Math.Pow(Options.Gamma, completedEpochs / Math.Max(1, Options.StepSize));
            case ScheduleKind.Plateau when monitored is { } value:
                // The state starts at +∞ (nothing seen yet) in either mode.
                var improved = double.IsPositiveInfinity(State.BestMetric) || (Options.Monitor == PlateauMonitor.ValTop1
                    ? value > State.BestMetric * (1 + Options.Threshold)
                    : value < State.BestMetric * (1 - Options.Threshold));
                if (improved)
                {
                    State = new ScheduleState(value, 0);
                    return currentLearningRate;
                }
                State = State with { BadEpochs = State.BadEpochs + 1 };
                if (State.BadEpochs <= Options.Patience) return currentLearningRate;
                State = State with { BadEpochs = 0 };
                return Math.Max(currentLearningRate * Options.Factor, Options.MinLearningRate);
            default:
                return currentLearningRate;
        }
    }
}
