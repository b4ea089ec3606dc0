namespace AlexNet.Data.Sources;

/// <summary>The files of a CIFAR distribution by name, from a folder or from the downloaded archive.</summary>
internal interface ICifarFiles
{
    /// <summary>The folder or archive, for messages.</summary>
    string Location { get; }

    bool Has(string name);

    /// <summary>How messages name the file: its path, or the archive and the entry.</summary>
    string Describe(string name);

    /// <summary>The file's bytes; an archive lets go of its copy.</summary>
    byte[] Take(string name);
}
