using AlexNet.Optim;

namespace AlexNet.Training;

public enum OptimizerKind
{
    Sgd,
    Adam,
}

/// <summary>
/// A training recipe. The defaults are the paper's (batch 128, SGD with momentum 0.9, weight decay 5e-4,
/// lr 0.01); <see cref="ValidationFraction"/> of the training set is held out when the data has no
/// validation split.
/// </summary>
public sealed record TrainingOptions(
    int Epochs = 10,
    int BatchSize = 128,
    double LearningRate = 0.01,
    OptimizerKind Optimizer = OptimizerKind.Sgd,
    SgdOptions? Sgd = null,
    AdamOptions? Adam = null,
    ScheduleOptions? Schedule = null,
    ulong Seed = 1,
    double ValidationFraction = 0.1,
    BestBy BestBy = BestBy.Loss,
    FineTuneOptions? FineTune = null)
{
    public FineTuneOptions FineTuneSettings => FineTune ?? new FineTuneOptions();

    public SgdOptions SgdSettings => Sgd ?? new SgdOptions();

    public AdamOptions AdamSettings => Adam ?? new AdamOptions();

    public ScheduleOptions ScheduleSettings => Schedule ?? new ScheduleOptions();

    /// <summary>Checks every value a user can set, naming the option at fault.</summary>
    public TrainingOptions Validate()
    {
        if (Epochs < 1) throw new AlexNetException($"--epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 1) throw new AlexNetException($"--batch-size must be at least 1, got {BatchSize}.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new AlexNetException($"--lr must be a positive number, got {LearningRate}.");
        if (!(SgdSettings.Momentum >= 0 && SgdSettings.Momentum < 1)) throw new AlexNetException($"--momentum must be in [0, 1), got {SgdSettings.Momentum}.");
        if (!(SgdSettings.WeightDecay >= 0) || !(AdamSettings.WeightDecay >= 0)) throw new AlexNetException("--weight-decay must not be negative.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw new AlexNetException($"--val-split must be in [0, 1), got {ValidationFraction}.");
        FineTuneSettings.Validate();
        return this;
    }

    /// <summary>
    /// The optimizer for <paramref name="network"/> under this recipe's fine-tuning choices: frozen layers left out
    /// (and their backward pass cut off), the layers before the classifier head at the backbone's learning-rate scale.
    /// </summary>
    public Optimizer CreateOptimizer(Models.Network network)
    {
        var trainable = Models.LayerFreezing.Apply(network, FineTuneSettings.Freeze);
        var head = Models.LayerFreezing.Head(network).Parameters;
        var scales = trainable.Select(p => head.Contains(p) ? 1.0 : FineTuneSettings.BackboneLearningRateScale).ToArray();
        return Optimizer switch
        {
            OptimizerKind.Adam => new AdamOptimizer(trainable, LearningRate, AdamSettings, scales),
            _ => new SgdOptimizer(trainable, LearningRate, SgdSettings, scales),
        };
    }

    public Optimizer CreateOptimizer(IReadOnlyList<Tensors.Parameter> parameters) => Optimizer switch
    {
        OptimizerKind.Adam => new AdamOptimizer(parameters, LearningRate, AdamSettings),
        _ => new SgdOptimizer(parameters, LearningRate, SgdSettings),
    };
}
