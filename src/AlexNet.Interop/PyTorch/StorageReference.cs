namespace AlexNet.Interop.PyTorch;

/// <summary>A tensor storage named by a pickle's persistent id: the zip entry <c>data/Key</c>.</summary>
public sealed record StorageReference(string Key, StorageType Type, long Elements);
