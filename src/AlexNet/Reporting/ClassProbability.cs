namespace AlexNet.Reporting;

/// <summary>One entry of a prediction's top-k: a class index and its softmax probability.</summary>
public readonly record struct ClassProbability(int Class, double Probability);
