namespace AlexNet.Models;

/// <summary>
/// Widths of AlexNet's five convolutions and its two hidden fully connected layers; <see cref="LastHidden"/> is the
/// third hidden dense layer that only <see cref="Architecture.KerasCifar10"/> has (0 takes its default, 1000).
/// </summary>
public sealed record LayerWidths(int Conv1, int Conv2, int Conv3, int Conv4, int Conv5, int Hidden, int LastHidden = 0)
{
    public static LayerWidths Paper { get; } = new(96, 256, 384, 384, 256, 4096);
    public static LayerWidths Torchvision { get; } = new(64, 192, 384, 256, 256, 4096);
    public static LayerWidths Mini { get; } = new(32, 64, 96, 96, 64, 512);
    public static LayerWidths KerasCifar10 { get; } = new(96, 256, 384, 384, 256, 4096, 1000);
}

/// <summary>
/// Everything needed to build a network: the variant, its class count and input, its widths and dropout.
/// Zero or null fields take the variant's defaults (see <see cref="Resolve"/>): dropout 0.5 (the paper's), 0.4 for
/// keras-cifar10.
/// </summary>
public sealed record ModelConfig(
    Architecture Architecture,
    int Classes = 1000,
    int InputChannels = 0,
    int InputSize = 0,
    LayerWidths? Widths = null,
    float? DropoutProbability = null)
{
    /// <summary>Largest input side accepted: 18 times the paper's 227, far beyond what AlexNet's layers are meant for.</summary>
    public const int MaxInputSize = 4096;

    /// <summary>Largest number of input channels accepted (grey, RGB, RGBA and multispectral images fit easily).</summary>
    public const int MaxInputChannels = 64;

    /// <summary>The dropout probability of a resolved configuration.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public float Dropout => DropoutProbability ?? throw new InvalidOperationException("Resolve the configuration first.");

    /// <summary>The configuration with every default filled in and validated.</summary>
    public ModelConfig Resolve()
    {
        var resolved = this with
        {
            InputChannels = InputChannels > 0 ? InputChannels : Architecture == Architecture.Mini ? 1 : 3,
            InputSize = InputSize > 0 ? InputSize : Architecture switch
            {
                Architecture.Paper or Architecture.Caffe or Architecture.CaffeNet => 227,
                Architecture.Torchvision => 224,
                Architecture.KerasCifar10 => 32,
                _ => 28,
            },
            Widths = Widths ?? Architecture switch
            {
                Architecture.Paper or Architecture.Caffe or Architecture.CaffeNet => LayerWidths.Paper,
                Architecture.Torchvision => LayerWidths.Torchvision,
                Architecture.KerasCifar10 => LayerWidths.KerasCifar10,
                _ => LayerWidths.Mini,
            },
            DropoutProbability = DropoutProbability ?? (Architecture == Architecture.KerasCifar10 ? 0.4f : 0.5f),
        };
        if (resolved.Architecture == Architecture.KerasCifar10 && resolved.Widths.LastHidden <= 0)
        {
            resolved = resolved with { Widths = resolved.Widths with { LastHidden = LayerWidths.KerasCifar10.LastHidden } };
        }
        if (resolved.Classes < 1) throw new AlexNetException($"The number of classes must be at least 1, got {Classes}.");
        // Checked here, before any layer exists: a damaged checkpoint's metadata would otherwise fail much later, at an
        // allocation of many gigabytes, with a message that names neither the value nor the file.
        if (resolved.InputSize > MaxInputSize) throw new AlexNetException($"The input size must be at most {MaxInputSize} pixels, got {InputSize}.");
        if (resolved.InputChannels > MaxInputChannels) throw new AlexNetException($"Input channels must be at most {MaxInputChannels}, got {InputChannels}.");
        if (!(resolved.Dropout >= 0 && resolved.Dropout < 1)) throw new AlexNetException($"Dropout probability must be in [0, 1), got {resolved.Dropout}.");
        return resolved;
    }
}
