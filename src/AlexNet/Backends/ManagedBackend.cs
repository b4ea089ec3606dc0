using AlexNet.Models;

namespace AlexNet.Backends;

/// <summary>The reference backend: the layers' own C# kernels. Always available.</summary>
public sealed class ManagedBackend : IBackend
{
    public static ManagedBackend Instance { get; } = new();

    public string Name => "managed";

    public IExecutionPlan CreatePlan(Network network) => new ManagedPlan(this, network);
}
