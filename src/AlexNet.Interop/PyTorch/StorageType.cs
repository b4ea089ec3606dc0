namespace AlexNet.Interop.PyTorch;

/// <summary>Element types of torch storages the importer converts to float32.</summary>
public enum StorageType
{
    Float32,
    Float64,
    Float16,
    BFloat16,

    /// <summary>torch.long: batch normalization's num_batches_tracked counter in state_dicts.</summary>
    Int64,
}
