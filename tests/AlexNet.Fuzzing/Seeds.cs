using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Models;

namespace AlexNet.Fuzzing;

/// <summary>The valid files mutants start from: fixtures of the test projects, and files written here.</summary>
internal static class Seeds
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "FuzzSeeds");

    public static byte[] Read(string relative) => File.ReadAllBytes(Path.Combine(Folder, relative));

    /// <summary>A checkpoint of this toolkit: mini with tiny widths, so that a mutant loads in a millisecond.</summary>
    public static byte[] Checkpoint()
    {
        var config = new ModelConfig(Architecture.Mini, 3, 1, 28, new LayerWidths(4, 4, 4, 4, 4, 8));
        var network = ModelFactory.Create(config, seed: 1);
        var path = Path.Combine(Path.GetTempPath(), $"alexnet-fuzz-seed-{Environment.ProcessId}.safetensors");
        try
        {
            AlexNet.Checkpoints.Checkpoint.Save(path, network, ["a", "b", "c"], new Preprocessing([0.5f], [0.25f], ChannelOrder.Gray, 28));
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>An IDX file of unsigned bytes (the format is a 4-byte magic, big-endian dimensions, values).</summary>
    public static byte[] Idx(int[] dimensions, Func<int, byte> value)
    {
        var count = dimensions.Aggregate(1, (a, b) => a * b);
        var bytes = new byte[4 + 4 * dimensions.Length + count];
        bytes[2] = 0x08;
        bytes[3] = (byte)dimensions.Length;
        for (var i = 0; i < dimensions.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dimensions[i]);
        for (var i = 0; i < count; i++) bytes[4 + 4 * dimensions.Length + i] = value(i);
        return bytes;
    }
}
