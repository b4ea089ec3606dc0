namespace AlexNet.Interop.PyTorch;

/// <summary>Element types of torch storages the importer converts to float32.</summary>
public enum StorageType
{
    Float32,
    Float64,
    Float16,
    BFloat16,
}
