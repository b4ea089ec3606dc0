namespace AlexNet.Data.Sources;

/// <summary>A CIFAR distribution unpacked into a folder.</summary>
internal sealed class CifarFolder(string folder) : ICifarFiles
{
    public string Location => folder;

    public bool Has(string name) => File.Exists(Path.Combine(folder, name));

    public string Describe(string name) => Path.Combine(folder, name);

    public byte[] Take(string name) => UserFiles.Run($"read CIFAR file '{Describe(name)}'", () => File.ReadAllBytes(Describe(name)));
}
