using AlexNet.Pickle;

namespace AlexNet.Interop.PyTorch;

/// <summary>
/// The globals a torch.save file of an AlexNet may name, and their meaning as data: OrderedDict is a
/// <see cref="PickleDict"/>, _rebuild_tensor_v2 a <see cref="TensorReference"/>, _rebuild_parameter its tensor,
/// a torch.nn module class an inert <see cref="PickleInstance"/> whose state is read as a dict.
/// </summary>
public sealed class TorchPickleRules : IPickleRules, IPersistentLoader
{
    private const string RebuildTensor = "torch._utils._rebuild_tensor_v2";
    private const string RebuildParameter = "torch._utils._rebuild_parameter";

    /// <summary>Module classes of torchvision's AlexNet and of networks assembled from torch.nn layers.</summary>
    private static readonly HashSet<string> ModuleClasses =
    [
        "torchvision.models.alexnet.AlexNet",
        "torch.nn.modules.container.Sequential",
        "torch.nn.modules.conv.Conv2d",
        "torch.nn.modules.activation.ReLU",
        "torch.nn.modules.pooling.MaxPool2d",
        "torch.nn.modules.pooling.AdaptiveAvgPool2d",
        "torch.nn.modules.dropout.Dropout",
        "torch.nn.modules.linear.Linear",
        "torch.nn.modules.normalization.LocalResponseNorm",
        "torch.nn.modules.flatten.Flatten",
    ];

    private readonly string _source;

    public TorchPickleRules(string source) => _source = source;

    public string AcceptedGlobals => "tensors, storages, ordered dicts and torch.nn module classes";

    public bool Allows(PickleGlobal global) =>
        global.FullName is "collections.OrderedDict" or "builtins.set" or "builtins.frozenset" or RebuildTensor or RebuildParameter
        || (global.Module == "torch" && StorageTypes.TryParse(global.Name, out _))
        || ModuleClasses.Contains(global.FullName);

    public object Call(PickleGlobal callable, object?[] arguments)
    {
        switch (callable.FullName)
        {
            case "collections.OrderedDict" when arguments.Length == 0:
                return new PickleDict();
            case "builtins.set" or "builtins.frozenset":
                return arguments.Length == 0 ? new List<object?>() : new List<object?>(arguments[0] as List<object?> ?? []);
            case RebuildTensor when arguments.Length >= 4:
                return new TensorReference(
                    arguments[0] as StorageReference ?? throw Malformed("_rebuild_tensor_v2 without a storage"),
                    Integer(arguments[1]), Integers(arguments[2]).Select(d => checked((int)d)).ToArray(), Integers(arguments[3]));
            case RebuildParameter when arguments.Length >= 1:
                return arguments[0] as TensorReference ?? throw Malformed("_rebuild_parameter of something that is not a tensor");
        }
        if (ModuleClasses.Contains(callable.FullName)) return new PickleInstance(callable, arguments);
        throw Malformed($"a call of {callable.FullName} with {arguments.Length} arguments");
    }

    public void Build(object target, object? state)
    {
        switch (target)
        {
            case PickleDict dict when state is PickleDict attributes:
                foreach (var (key, value) in attributes.Entries) dict.Attributes[key.ToString()!] = value;
                break;
            case PickleInstance instance:
                instance.State = state;
                break;
            default:
                throw Malformed($"BUILD on a {target.GetType().Name}");
        }
    }

    /// <summary>torch.save's persistent id: ('storage', storage class, key, location, element count).</summary>
    public object Load(object? persistentId)
    {
        if (persistentId is not object?[] { Length: >= 5 } id || id[0] is not "storage")
        {
            throw Malformed("a persistent id that is not a ('storage', …) tuple");
        }
        if (id[1] is not PickleGlobal { Module: "torch" } type || !StorageTypes.TryParse(type.Name, out var storageType))
        {
            throw Malformed($"a storage of unknown type {id[1]}");
        }
        var key = id[2] as string ?? throw Malformed("a storage without a key");
        return new StorageReference(key, storageType, Integer(id[4]));
    }

    private long Integer(object? value) => value as long? ?? throw Malformed($"{value ?? "None"} where an integer belongs");

    private long[] Integers(object? value) =>
        value is object?[] tuple ? tuple.Select(Integer).ToArray() : throw Malformed("a tensor size or stride that is not a tuple");

    private AlexNetException Malformed(string what) => new($"'{_source}' holds a malformed PyTorch pickle: {what}.");
}
