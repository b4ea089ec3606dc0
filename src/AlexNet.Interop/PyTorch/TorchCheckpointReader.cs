using AlexNet.Tensors;

namespace AlexNet.Interop.PyTorch;

/// <summary>Reads the named float tensors of a torch.save file, converted to float32.</summary>
public static class TorchCheckpointReader
{
    public static IReadOnlyList<KeyValuePair<string, Tensor>> Read(byte[] bytes, string source)
    {
        using var archive = TorchArchive.Open(bytes, source);
        var references = TorchStateDict.Extract(archive.LoadObject(), source);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, reference) in references)
        {
            // Materialize first: it checks the sizes (none negative, all within the storage) that the shape is made of.
            var values = archive.Materialize(reference, name);
            tensors.Add(KeyValuePair.Create(name, new Tensor(new Shape(reference.Sizes), values)));
        }
        return tensors;
    }
}
