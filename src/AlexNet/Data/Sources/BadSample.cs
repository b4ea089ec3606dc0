namespace AlexNet.Data.Sources;

/// <summary>A sample that could not be loaded: its index in the source, where it comes from, and why.</summary>
public sealed record BadSample(int Index, string Source, string Reason);
