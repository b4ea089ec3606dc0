namespace AlexNet.Data.Sources;

/// <summary>What a JSON file at the root of a seed-layout data set maps.</summary>
internal enum SeedJsonKind
{
    Other,

    /// <summary>Image id → label name (string values).</summary>
    ImageLabels,

    /// <summary>Label name → class index (numeric values).</summary>
    LabelIndex,
}
