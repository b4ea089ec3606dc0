namespace AlexNet.Models;

/// <summary>Builds and initializes any architecture from its configuration.</summary>
public static class ModelFactory
{
    /// <summary>A network with uninitialized (zero) parameters, for loading weights into.</summary>
    public static Network Build(ModelConfig config) => config.Architecture switch
    {
        Architecture.Paper => PaperAlexNet.Build(config),
        Architecture.Torchvision => TorchvisionAlexNet.Build(config),
        Architecture.Mini => MiniAlexNet.Build(config),
        Architecture.Caffe or Architecture.CaffeNet => CaffeAlexNet.Build(config),
        Architecture.KerasCifar10 => KerasCifar10.Build(config),
        _ => throw new AlexNetException($"Unknown architecture {config.Architecture}."),
    };

    /// <summary>A network initialized the way its architecture prescribes, reproducibly from the seed.</summary>
    public static Network Create(ModelConfig config, ulong seed)
    {
        var network = Build(config);
        switch (config.Architecture)
        {
            case Architecture.Paper: PaperAlexNet.Initialize(network, seed); break;
            case Architecture.Torchvision: TorchvisionAlexNet.Initialize(network, seed); break;
            case Architecture.Caffe or Architecture.CaffeNet: CaffeAlexNet.Initialize(network, seed); break;
            case Architecture.KerasCifar10: KerasCifar10.Initialize(network, seed); break;
            default: MiniAlexNet.Initialize(network, seed); break;
        }
        return network;
    }
}
