namespace AlexNet.Training;

/// <summary>
/// Which epoch's weights best.safetensors keeps: the lowest validation loss (the default, as the seeds do) or
/// the highest validation top-1. Without validation data the training figures stand in.
/// </summary>
public enum BestBy
{
    Loss,
    Top1,
}
