namespace AlexNet.Pickle;

/// <summary>Resolves the persistent ids of a pickle (torch.save's references to tensor storages).</summary>
public interface IPersistentLoader
{
    object Load(object? persistentId);
}
