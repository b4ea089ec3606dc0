namespace AlexNet.Training;

/// <summary>
/// Training from pretrained weights: the checkpoint the run started from (recorded for the run's description;
/// a resumed run reads its own last checkpoint), the layers kept fixed (<c>features</c>, a layer name, or none),
/// and the learning rate of the pretrained layers as a multiple of the classifier head's.
/// </summary>
public sealed record FineTuneOptions(string? InitFrom = null, string? Freeze = null, double BackboneLearningRateScale = 1)
{
    /// <summary>Checks every value a user can set, naming the option at fault.</summary>
    public FineTuneOptions Validate()
    {
        if (!(BackboneLearningRateScale > 0) || double.IsInfinity(BackboneLearningRateScale))
        {
            throw new AlexNetException($"--backbone-lr-mult must be a positive number, got {BackboneLearningRateScale} (use --freeze to keep layers fixed).");
        }
        return this;
    }
}
