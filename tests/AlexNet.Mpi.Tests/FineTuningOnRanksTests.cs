using System.Globalization;
using AlexNet.Checkpoints;

namespace AlexNet.Mpi.Tests;

/// <summary>
/// Fine-tuning is data-parallel too: <c>train --init CKPT --freeze features</c> on two ranks ends with the single
/// process's weights, and the frozen convolutions keep the checkpoint's weights bit for bit (only the trainable
/// layers' gradients are exchanged; the frozen ones see no backward pass on any rank).
/// </summary>
public sealed class FineTuningOnRanksTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(3);
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-mpi-finetune-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string[] Train(string data, string run, params string[] more) =>
        ["train", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "6", "--lr", "0.001", "--val-split", "0", "--backend", "managed", .. more];

    [MpiFact]
    public void FineTuningWithFrozenFeaturesOnTwoRanksTrainsTheSingleProcessWeights()
    {
        var data = TrainingPhotos.Create(Path.Combine(_folder, "photos"), perClass: 8);
        var pretrained = Path.Combine(_folder, "pretrained");
        var first = DotnetProgram.Run(MpiJob.Cli, Train(data, pretrained, "--seed", "5"));
        Assert.True(first.Code == 0, first.Output);
        var checkpoint = Path.Combine(pretrained, "last.safetensors");
        string[] fineTune = ["--init", checkpoint, "--freeze", "features", "--seed", "9"];

        var (alone, split) = (Path.Combine(_folder, "alone"), Path.Combine(_folder, "split"));
        var single = DotnetProgram.Run(MpiJob.Cli, Train(data, alone, fineTune));
        Assert.True(single.Code == 0, single.Output);
        var (code, output) = MpiJob.Run(2, MpiJob.Cli, Train(data, split, fineTune), Limit);
        Assert.True(code == 0, output);

        var (worst, where) = Weights.LargestRelativeDifference(Path.Combine(alone, "last.safetensors"), Path.Combine(split, "last.safetensors"));
        Assert.True(worst < 1e-4, $"{where} differs by {worst:E2} (relative)");
        var start = Checkpoint.Load(checkpoint).Network;
        var tuned = Checkpoint.Load(Path.Combine(split, "last.safetensors")).Network;
        var changed = 0;
        foreach (var parameter in start.Parameters)
        {
            Assert.True(tuned.TryGetParameter(parameter.Name, out var after));
            var same = parameter.Value.Data.AsSpan().SequenceEqual(after.Value.Data);
            if (parameter.Name.StartsWith("conv", StringComparison.Ordinal)) Assert.True(same, $"frozen {parameter.Name} changed");
            else if (!same) changed++;
        }
        Assert.True(changed > 0, string.Create(CultureInfo.InvariantCulture, $"no trainable parameter changed in {output}"));
    }
}
