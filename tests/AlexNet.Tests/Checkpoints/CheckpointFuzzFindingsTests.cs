using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;
using AlexNet.Tensors;
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

    [Fact]
    public void ModelMetadataNamingWidthsTheTensorsDoNotHoldIsRefusedBeforeTheNetworkExists()
    {
        // A 'model' entry that names a 4096-unit hidden layer for a file of a few kilobytes: building that network would
        // reserve 4096 × 4096 floats for fc7 alone. Its shapes are compared with the file's tensors first.
        var path = TinyCheckpoint();
        var file = SafeTensorsFile.Read(path);
        var metadata = file.Metadata.ToDictionary();
        Assert.Contains("\"hidden\":8", metadata["model"]);
        metadata["model"] = metadata["model"].Replace("\"hidden\":8", "\"hidden\":4096", StringComparison.Ordinal);
        SafeTensorsFile.Write(path, file.Tensors, metadata);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AlexNetException>(() => Checkpoint.Load(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"Checkpoint '{path}' does not hold the network its 'model' metadata describes (mini, widths 4/4/4/4/4/4096", error.Message);
        Assert.Contains("'fc7.weight' has shape (8, 8), the model needs (4096, 4096)", error.Message);
        Assert.True(allocated < 16 * new FileInfo(path).Length + (8 << 20), $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void ATensorShapeWhoseProductWrapsIsAMalformedHeader()
    {
        // 65536^4 is 2^64, which a 64-bit product wraps to 0: the shape would have claimed zero bytes.
        var header = """{"w":{"dtype":"F32","shape":[65536,65536,65536,65536],"data_offsets":[0,0]}}"""u8.ToArray();
        var path = Path.Combine(_folder, "wrap.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header]);
        var error = Assert.Throws<AlexNetException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("tensor 'w' has a malformed header entry", error.Message);
    }

    [Fact]
    public void TensorRangesThatOverlapAreRefusedBeforeTheyMultiplyTheData()
    {
        // 2,000 header entries all naming the same 64 KiB of data would read as 2,000 copies (500 MiB) of a 200 KB file.
        var entries = Enumerable.Range(0, 2000).Select(i => $"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[16384],\"data_offsets\":[0,65536]}}");
        var header = System.Text.Encoding.UTF8.GetBytes("{" + string.Join(",", entries) + "}");
        var path = Path.Combine(_folder, "overlap.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. new byte[65536]]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<AlexNetException>(() => SafeTensorsFile.Read(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"'{path}' is not a valid safetensors file: tensor 't1' and those before it claim 131072 bytes of the 65536 data bytes", error.Message);
        Assert.True(allocated < 16 * new FileInfo(path).Length + (8 << 20), $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void BuildingANetworkReservesNoParameterMemoryUntilItIsUsed()
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var network = ModelFactory.Build(new ModelConfig(Architecture.Paper));
        var built = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(built < 1 << 20, $"building paper allocated {built:N0} bytes");
        Assert.Equal(60_965_224, network.ParameterCount);

        // Values come on first use; gradients only when something asks for them (training), zeroing included.
        var fc6 = network.Parameters.Single(p => p.Name == "fc6.weight");
        before = GC.GetAllocatedBytesForCurrentThread();
        fc6.ZeroGradient();
        var value = fc6.Value;
        var valued = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Same(value, fc6.Value);
        Assert.InRange(valued, 4L * fc6.Shape.ElementCount, 4L * fc6.Shape.ElementCount + (1 << 16));
        Assert.Equal(fc6.Shape.ElementCount, fc6.Gradient.Data.LongLength);
    }

    [Fact]
    public void AShapeBeyondWhatAnyArrayHoldsIsRefusedWhenTheParameterIsMade()
    {
        var error = Assert.Throws<ArgumentException>(() => new Parameter("fc6.weight", new Shape(65536, 65536), ParameterRole.Weight));
        Assert.Contains("'fc6.weight' of shape (65536, 65536)", error.Message);
        Assert.Throws<ArgumentException>(() => new Shape(1 << 30, 1 << 30, 1 << 30));
    }

    private string TinyCheckpoint()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, 3, 1, 28, new LayerWidths(4, 4, 4, 4, 4, 8)), seed: 1);
        var path = Path.Combine(_folder, "tiny.safetensors");
        Checkpoint.Save(path, network, ["a", "b", "c"], new Preprocessing([0.5f], [0.25f], ChannelOrder.Gray, 28));
        return path;
    }
}
