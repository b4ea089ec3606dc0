using System.CommandLine;
using AlexNet.Data;

namespace AlexNet.Cli.Commands;

/// <summary>Options shared by several commands, defined once so they read the same everywhere.</summary>
public static class CommonOptions
{
    public static Option<string> Architecture(string defaultName) => new("--arch")
    {
        Description = "Architecture: paper, torchvision or mini",
        DefaultValueFactory = _ => defaultName,
    };

    public static Option<string> FashionMnistData() => new("--data")
    {
        Description = "Folder with the Fashion-MNIST IDX files",
        DefaultValueFactory = _ => FashionMnist.DefaultDirectory,
    };
}
