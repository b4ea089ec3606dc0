using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;
using Xunit;

namespace AlexNet.Tests.Checkpoints;

/// <summary>Regression tests of what the fuzzer (tests/AlexNet.Fuzzing) found in checkpoint loading.</summary>
public sealed class CheckpointFuzzFindingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-checkpoint-fuzz-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AModelConfigurationThatBuildsNoNetworkNamesTheCheckpoint()
    {
        // Found: a mutated 'model' entry naming another architecture for a 28-pixel input ended in the model's own error
        // ("Input size 28 is too small for the paper architecture"), which did not say which file was at fault.
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, 3, 1, 28, new LayerWidths(4, 4, 4, 4, 4, 8)), seed: 1);
        var path = Path.Combine(_folder, "m.safetensors");
        Checkpoint.Save(path, network, ["a", "b", "c"], new Preprocessing([0.5f], [0.25f], ChannelOrder.Gray, 28));
        var file = SafeTensorsFile.Read(path);
        var metadata = file.Metadata.ToDictionary();
        Assert.Contains("\"mini\"", metadata["model"]);
        metadata["model"] = metadata["model"].Replace("\"mini\"", "\"paper\"", StringComparison.Ordinal);
        SafeTensorsFile.Write(path, file.Tensors, metadata);
        var error = Assert.Throws<AlexNetException>(() => Checkpoint.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("'model'", error.Message);
    }
}
