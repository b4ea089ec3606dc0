namespace AlexNet.Interop.PyTorch;

/// <summary>torch's names and element sizes of the <see cref="StorageType"/>s.</summary>
public static class StorageTypes
{
    /// <summary>torch's legacy storage class names (torch.FloatStorage …), as pickles name them.</summary>
    public static bool TryParse(string torchName, out StorageType type)
    {
        (var found, type) = torchName switch
        {
            "FloatStorage" => (true, StorageType.Float32),
            "DoubleStorage" => (true, StorageType.Float64),
            "HalfStorage" => (true, StorageType.Float16),
            "BFloat16Storage" => (true, StorageType.BFloat16),
            "LongStorage" => (true, StorageType.Int64),
            _ => (false, StorageType.Float32),
        };
        return found;
    }

    public static int ElementSize(this StorageType type) => type switch
    {
        StorageType.Float64 or StorageType.Int64 => 8,
        StorageType.Float32 => 4,
        _ => 2,
    };
}
