using AlexNet.Optim;

namespace AlexNet.Training;

/// <summary>
/// Everything besides weights and optimizer tensors that a resumed run needs to continue exactly as if it
/// had never stopped: the recipe, how far it got, the current learning rate, the schedule's memory and, for early
/// stopping, how many epochs in a row the best figure has not improved.
/// </summary>
public sealed record TrainingState(
    TrainingOptions Options,
    int CompletedEpochs,
    long Step,
    double LearningRate,
    long OptimizerSteps,
    ScheduleState Schedule,
    double BestMetric,
    PartialEpoch? Partial = null,
    int EpochsWithoutImprovement = 0);
