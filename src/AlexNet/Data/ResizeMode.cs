namespace AlexNet.Data;

/// <summary>How an image is brought to the square that the input (or the crops) are cut from.</summary>
public enum ResizeMode
{
    /// <summary>Shorter side to the resize size, aspect ratio kept, then the central square (the paper, torchvision).</summary>
    ShorterSide,

    /// <summary>Both sides to the resize size, aspect ratio ignored (Caffe's ImageNet recipe, and TensorFlow ports of it).</summary>
    Squash,
}
