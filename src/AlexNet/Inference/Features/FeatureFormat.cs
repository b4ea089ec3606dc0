namespace AlexNet.Inference.Features;

/// <summary>The file formats features are written in, told by the output's extension.</summary>
public enum FeatureFormat
{
    /// <summary>A NumPy .npy file holding one float32 matrix (images × features).</summary>
    Npy,

    /// <summary>Comma-separated values, one line per image.</summary>
    Csv,
}
