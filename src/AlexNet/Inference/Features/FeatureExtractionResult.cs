namespace AlexNet.Inference.Features;

/// <summary>What <see cref="FeatureExtraction"/> wrote: the features file, its companion list, and the matrix's size.</summary>
public sealed record FeatureExtractionResult(string FeaturesFile, string ListFile, FeatureFormat Format, string Layer, int Rows, int Dimension);
