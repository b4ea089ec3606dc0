using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;
using AlexNet.Tensors;
using Xunit;

namespace AlexNet.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("alexnet-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly Preprocessing GrayPreprocessing = new([0.286f], [0.353f], ChannelOrder.Gray, 28);

    [Fact]
    public void SafeTensorsRoundTripsTensorsAndMetadata()
    {
        var path = Path.Combine(_folder, "t.safetensors");
        var a = new Tensor(new Shape(2, 3), [1, 2, 3, 4, 5, float.NegativeInfinity]);
        var b = new Tensor(new Shape(1), [-0.5f]);
        SafeTensorsFile.Write(path, [new("a", a), new("b", b)], new Dictionary<string, string> { ["k"] = "v ü" });
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(0, (long)BitConverter.ToUInt64(bytes, 0) % 8);
        var read = SafeTensorsFile.Read(path);
        Assert.Equal(a.Data, read["a"].Data);
        Assert.Equal(new Shape(2, 3), read["a"].Shape);
        Assert.Equal(b.Data, read["b"].Data);
        Assert.Equal("v ü", read.Metadata["k"]);
        Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "shorter than")]
    [InlineData(new byte[] { 255, 0, 0, 0, 0, 0, 0, 0, 0 }, "header length")]
    [InlineData(new byte[] { 2, 0, 0, 0, 0, 0, 0, 0, (byte)'{', (byte)'x' }, "not valid JSON")]
    public void MalformedFilesAreReportedWithTheirName(byte[] content, string expected)
    {
        var path = Path.Combine(_folder, "bad.safetensors");
        File.WriteAllBytes(path, content);
        var error = Assert.Throws<AlexNetException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("bad.safetensors", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void DataOffsetsThatDoNotMatchTheShapeAreRejected()
    {
        var header = """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""";
        var bytes = BitConverter.GetBytes((ulong)header.Length).Concat(System.Text.Encoding.UTF8.GetBytes(header)).Concat(new byte[8]).ToArray();
        var error = Assert.Throws<AlexNetException>(() => SafeTensorsFile.Parse(bytes, "x.safetensors"));
        Assert.Contains("'w'", error.Message);
        Assert.Contains("needs 12 bytes", error.Message);
    }

    [Fact]
    public void CheckpointRoundTripsWeightsClassesAndPreprocessing()
    {
        var network = ModelFactory.Create(new ModelConfig(Architecture.Mini, 10), seed: 4);
        var path = Path.Combine(_folder, "m.safetensors");
        Checkpoint.Save(path, network, FashionMnist.ClassNames, GrayPreprocessing);
        var loaded = Checkpoint.Load(path);
        Assert.Equal(network.Config, loaded.Network.Config);
        Assert.Equal(FashionMnist.ClassNames, loaded.ClassNames);
        Assert.Equal(GrayPreprocessing.Mean, loaded.Preprocessing.Mean);
        Assert.Equal(ChannelOrder.Gray, loaded.Preprocessing.ChannelOrder);
        for (var i = 0; i < network.Parameters.Count; i++)
        {
            Assert.Equal(network.Parameters[i].Value.Data, loaded.Network.Parameters[i].Value.Data);
        }
    }

    [Fact]
    public void MismatchedWeightsListEveryProblemAtOnce()
    {
        var network = ModelFactory.Build(new ModelConfig(Architecture.Mini, 10));
        var tensors = network.Parameters.ToDictionary(p => p.Name, p => p.Value);
        tensors.Remove("conv1.weight");
        tensors.Remove("fc8.bias");
        tensors["fc7.weight"] = new Tensor(3, 3);
        tensors["extra.weight"] = new Tensor(1);
        var error = Assert.Throws<AlexNetException>(() => Checkpoint.LoadParameters(network, tensors, "other.safetensors"));
        Assert.Contains("other.safetensors", error.Message);
        Assert.Contains("4 problems", error.Message);
        Assert.Contains("missing 'conv1.weight'", error.Message);
        Assert.Contains("missing 'fc8.bias'", error.Message);
        Assert.Contains("'fc7.weight' has shape (3, 3), the model needs (512, 512)", error.Message);
        Assert.Contains("unexpected 'extra.weight'", error.Message);
    }

    [Theory]
    [InlineData("input_size", 100000, "input size must be at most 4096")]
    [InlineData("input_channels", 5000, "Input channels must be at most 64")]
    public void AnInputTooLargeInTheModelMetadataIsRefusedNamingTheFile(string key, int value, string expected)
    {
        var path = Path.Combine(_folder, "big.safetensors");
        Checkpoint.Save(path, ModelFactory.Create(new ModelConfig(Architecture.Mini, 10), seed: 4), FashionMnist.ClassNames, GrayPreprocessing);
        var file = SafeTensorsFile.Read(path);
        var model = System.Text.Json.Nodes.JsonNode.Parse(file.Metadata["model"])!;
        model[key] = value;
        var metadata = file.Metadata.ToDictionary();
        metadata["model"] = model.ToJsonString();
        var damaged = Path.Combine(_folder, "damaged.safetensors");
        SafeTensorsFile.Write(damaged, file.Tensors, metadata);

        var error = Assert.Throws<AlexNetException>(() => Checkpoint.Load(damaged));
        Assert.Contains("damaged.safetensors", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void SafeTensorsWithoutOurMetadataIsNotMistakenForACheckpoint()
    {
        var path = Path.Combine(_folder, "plain.safetensors");
        SafeTensorsFile.Write(path, [new("w", new Tensor(1))], new Dictionary<string, string>());
        var error = Assert.Throws<AlexNetException>(() => Checkpoint.Load(path));
        Assert.Contains("not an alexnet checkpoint", error.Message);
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFileIntact()
    {
        var path = Path.Combine(_folder, "keep.txt");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, stream =>
        {
            stream.WriteByte(1);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(_folder));
    }
}
