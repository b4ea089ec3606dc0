namespace AlexNet.Inference;

/// <summary>One class of a prediction: its index in the model's class list, its name and its probability.</summary>
public sealed record ClassScore(int Index, string Label, float Probability);
