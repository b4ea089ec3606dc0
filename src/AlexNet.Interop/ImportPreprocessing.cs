using AlexNet.Data;
using AlexNet.Models;

namespace AlexNet.Interop;

/// <summary>How the published weights of each family expect their input (see docs on <see cref="Preprocessing"/>).</summary>
public static class ImportPreprocessing
{
    /// <summary>The shorter side both torchvision and Caffe evaluate at before the centre crop.</summary>
    public const int Resize = 256;

    /// <summary>torchvision's ImageNet statistics, RGB on the 0..1 scale.</summary>
    public static readonly float[] TorchvisionMean = [0.485f, 0.456f, 0.406f];

    public static readonly float[] TorchvisionStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Caffe's ilsvrc_2012_mean per channel, (B, G, R) on 0..255 (bvlc_alexnet's deploy recipe).</summary>
    public static readonly float[] CaffeMeanBgr255 = [104.007f, 116.669f, 122.679f];

    /// <summary>
    /// What the weights of <paramref name="config"/>'s family expect, changed as <paramref name="options"/> asks:
    /// <see cref="ResizeMode.Squash"/> resizes both sides straight to the input size (the recipe of TensorFlow ports
    /// of Caffe's AlexNet); a mean or std replaces the family's.
    /// </summary>
    public static Preprocessing For(ModelConfig config, ImportOptions options)
    {
        var preprocessing = For(config);
        var channels = preprocessing.Mean.Length;
        foreach (var (values, option) in new[] { (options.Mean255, "--mean"), (options.Std255, "--std") })
        {
            if (values is not null && values.Length != channels)
            {
                throw new AlexNetException($"{option} needs {channels} values ({preprocessing.ChannelOrder} order), got {values.Length}.");
            }
        }
        if (options.Std255 is { } std && std.Any(s => !(s > 0) || float.IsInfinity(s))) throw new AlexNetException("--std values must be positive.");
        if (options.Mean255 is { } mean) preprocessing = preprocessing with { Mean = mean.Select(m => m / 255f).ToArray() };
        if (options.Std255 is { } deviations) preprocessing = preprocessing with { Std = deviations.Select(s => s / 255f).ToArray() };
        if (options.Resize == ResizeMode.Squash) preprocessing = preprocessing with { Resize = ResizeMode.Squash, ResizeShorterSide = config.InputSize };
        return preprocessing;
    }

    public static Preprocessing For(ModelConfig config)
    {
        var size = config.InputSize;
        var resize = Math.Max(Resize, size);
        if (config.Architecture is Architecture.Caffe or Architecture.CaffeNet)
        {
            // Caffe feeds raw 0..255 values minus the mean: on Preprocessing's 0..1 scale that is mean/255, std 1/255.
            return new Preprocessing(CaffeMeanBgr255.Select(m => m / 255f).ToArray(), [1 / 255f, 1 / 255f, 1 / 255f], ChannelOrder.Bgr, size, resize);
        }
        if (config.InputChannels == 1) return new Preprocessing([0f], [1f], ChannelOrder.Gray, size, resize);
        return new Preprocessing(TorchvisionMean.ToArray(), TorchvisionStd.ToArray(), ChannelOrder.Rgb, size, resize);
    }
}
