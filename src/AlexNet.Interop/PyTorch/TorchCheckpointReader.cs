using AlexNet.Tensors;

namespace AlexNet.Interop.PyTorch;

/// <summary>Reads the named float tensors of a torch.save file, converted to float32.</summary>
public static class TorchCheckpointReader
{
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Read(byte[] bytes, string source)
    {
        using var archive = TorchArchive.Open(bytes, source);
        var references = TorchStateDict.Extract(archive.LoadObject(), source);
        return references.Select(r => KeyValuePair.Create(r.Key, new Tensor(new Shape(r.Value.Sizes), archive.Materialize(r.Value, r.Key)))).ToList();
    }
}
