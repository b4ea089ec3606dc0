using System.CommandLine;
using AlexNet.Backends;

namespace AlexNet.Cli.Commands;

/// <summary>The --backend option of bench and the backend it names.</summary>
public static class BenchBackend
{
    public static Option<BackendChoice> Option() => new("--backend")
    {
        Description = "auto (oneDNN when its library loads, else managed), onednn or managed",
        DefaultValueFactory = _ => BackendChoice.Auto,
    };

    public static IBackend Resolve(BackendChoice choice, TextWriter output) => choice switch
    {
        BackendChoice.OneDnn => throw new AlexNetException("--backend onednn: this build has no oneDNN backend; use --backend managed."),
        _ => ManagedBackend.Instance,
    };
}
