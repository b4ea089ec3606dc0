namespace AlexNet.Interop.PyTorch;

/// <summary>
/// What torch._utils._rebuild_tensor_v2 would have built: a strided view (offset, sizes, strides, in
/// elements) of a storage. Materialized only after the whole pickle was read.
/// </summary>
public sealed record TensorReference(StorageReference Storage, long Offset, int[] Sizes, long[] Strides);
