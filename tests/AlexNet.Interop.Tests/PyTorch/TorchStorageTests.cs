using AlexNet.Interop.PyTorch;
using AlexNet.Interop.Tests.Support;

namespace AlexNet.Interop.Tests.PyTorch;

/// <summary>Half-precision storages and strided views, in archives built by hand.</summary>
public sealed class TorchStorageTests
{
    private static byte[] Tensor(string name, string storageType, string key, int elements, int offset, int[] sizes, int[] strides) =>
        PickleBytes.Of(PickleBytes.Text(name), "ctorch._utils\n_rebuild_tensor_v2\n(",
            "(", PickleBytes.Text("storage"), $"ctorch\n{storageType}\n", PickleBytes.Text(key), PickleBytes.Text("cpu"), "K", elements, "tQ",
            "K", offset, "(", sizes.SelectMany(s => new byte[] { (byte)'K', (byte)s }).ToArray(), "t(", strides.SelectMany(s => new byte[] { (byte)'K', (byte)s }).ToArray(), "t",
            0x89, "ccollections\nOrderedDict\n)RtR");

    [Fact]
    public void HalfAndBFloat16StoragesAndTransposedViews()
    {
        byte[] half = [.. BitConverter.GetBytes((Half)1), .. BitConverter.GetBytes((Half)2), .. BitConverter.GetBytes((Half)3), .. BitConverter.GetBytes((Half)(-4.5))];
        // bfloat16 keeps a float32's upper 16 bits: 0x3FC0 is 1.5, 0xC020 is -2.5.
        byte[] bfloat = [0xC0, 0x3F, 0x20, 0xC0];
        var pickle = PickleBytes.Of(0x80, 2, "ccollections\nOrderedDict\n)R(",
            Tensor("transposed", "HalfStorage", "0", 4, 0, [2, 2], [1, 2]),
            Tensor("second", "BFloat16Storage", "1", 2, 1, [1], [1]),
            "u.");
        var bytes = TorchZip.WithPickle(pickle, new Dictionary<string, byte[]> { ["0"] = half, ["1"] = bfloat });

        var tensors = TorchCheckpointReader.Read(bytes, "hand-made.pth").ToDictionary();

        Assert.Equal([2, 2], tensors["transposed"].Shape.Dimensions);
        Assert.Equal([1f, 3f, 2f, -4.5f], tensors["transposed"].Data);
        Assert.Equal([-2.5f], tensors["second"].Data);
    }
}
