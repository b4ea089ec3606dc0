using AlexNet.Models;

namespace AlexNet.Training;

/// <summary>
/// What a run was asked to do: the data, the model and the recipe (run.json in the run directory), and the
/// preprocessing it kept from pretrained weights instead of measuring the data (null: measured).
/// </summary>
public sealed record RunDescription(DataRequest Data, ModelConfig Model, TrainingOptions Training, Data.Preprocessing? Preprocessing = null);
