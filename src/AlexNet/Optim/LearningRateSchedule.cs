namespace AlexNet.Optim;

public enum ScheduleKind
{
    Constant,
    Step,
    Plateau,
}

/// <summary>
/// Schedule settings. Step: lr · gamma^⌊epoch / step size⌋. Plateau: PyTorch's ReduceLROnPlateau in
/// 'min' mode on validation loss with relative threshold — the paper's "divide the learning rate by 10 when
/// the validation error rate stopped improving".
/// </summary>
public sealed record ScheduleOptions(
    ScheduleKind Kind = ScheduleKind.Constant,
    int StepSize = 30,
    double Gamma = 0.1,
    double Factor = 0.1,
    int Patience = 2,
    double MinLearningRate = 1e-6,
    double Threshold = 1e-4);

/// <summary>Where a schedule stands; saved in checkpoints so that a resumed run continues the schedule.</summary>
public sealed record ScheduleState(double BestMetric = double.PositiveInfinity, int BadEpochs = 0);

/// <summary>Decides the learning rate of the next epoch from the epoch just completed.</summary>
public sealed class LearningRateSchedule(ScheduleOptions options, double initialLearningRate)
{
    public ScheduleOptions Options { get; } = options;

    public ScheduleState State { get; set; } = new();

    /// <summary>
    /// The learning rate for the epoch after <paramref name="completedEpochs"/> epochs, given the current rate
    /// and the validation loss of the epoch just finished (null when there is no validation data).
    /// </summary>
    public double Next(int completedEpochs, double currentLearningRate, double? validationLoss)
    {
        switch (Options.Kind)
        {
            case ScheduleKind.Step:
                return initialLearningRate * Math.Pow(Options.Gamma, completedEpochs / Math.Max(1, Options.StepSize));
            case ScheduleKind.Plateau when validationLoss is { } loss:
                if (loss < State.BestMetric * (1 - Options.Threshold))
                {
                    State = new ScheduleState(loss, 0);
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
