using AlexNet.Models;

namespace AlexNet.Interop;

/// <summary>
/// What to import: the weight file, the architecture when the names do not tell it, a class list, and changes to
/// the preprocessing the weight family is known to expect: how images are resized, and the per-channel mean and
/// standard deviation on the 0..255 scale in the model's channel order (BGR for Caffe weights).
/// </summary>
public sealed record ImportOptions(string Source, Architecture? Architecture = null, string? ClassesFile = null,
    Data.ResizeMode? Resize = null, float[]? Mean255 = null, float[]? Std255 = null);
