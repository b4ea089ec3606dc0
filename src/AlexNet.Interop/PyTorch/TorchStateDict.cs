using AlexNet.Pickle;

namespace AlexNet.Interop.PyTorch;

/// <summary>
/// Finds the parameters in what torch.save stored: a state_dict (an OrderedDict of tensors), a dict that
/// wraps one under "state_dict" or "model", or a whole module, whose parameters are collected from its
/// <c>_parameters</c>, <c>_buffers</c> and <c>_modules</c> dicts under the dotted names state_dict() would give.
/// </summary>
public static class TorchStateDict
{
    private static readonly string[] WrapperKeys = ["state_dict", "model_state_dict", "model"];

    public static IReadOnlyList<KeyValuePair<string, TensorReference>> Extract(object? root, string source)
    {
        var tensors = new List<KeyValuePair<string, TensorReference>>();
        switch (root)
        {
            case PickleInstance module:
                CollectModule(module, "", tensors, source, new HashSet<PickleInstance>(ReferenceEqualityComparer.Instance));
                break;
            case PickleDict dict when IsStateDict(dict):
                foreach (var (key, value) in dict.Entries) tensors.Add(KeyValuePair.Create(key.ToString()!, (TensorReference)value!));
                break;
            case PickleDict dict:
                foreach (var key in WrapperKeys)
                {
                    if (dict.TryGet(key, out var inner) && inner is PickleDict or PickleInstance) return Extract(inner, source);
                }
                var other = dict.Entries.FirstOrDefault(e => e.Value is not TensorReference);
                throw new AlexNetException(
                    $"'{source}' holds a dict that is not a state_dict: entry '{other.Key}' is {Describe(other.Value)}, not a tensor (nor is there a 'state_dict' or 'model' entry).");
            default:
                throw new AlexNetException($"'{source}' holds {Describe(root)}, not a state_dict or a torch.nn module.");
        }
        if (tensors.Count == 0) throw new AlexNetException($"'{source}' holds no tensors.");
        return tensors;
    }

    private static bool IsStateDict(PickleDict dict) => dict.Count > 0 && dict.Entries.All(e => e.Key is string && e.Value is TensorReference);

    private static void CollectModule(PickleInstance module, string prefix, List<KeyValuePair<string, TensorReference>> tensors, string source,
        HashSet<PickleInstance> visiting)
    {
        // A pickle can make a module its own descendant through the memo; torch never writes that.
        if (!visiting.Add(module)) throw new AlexNetException($"'{source}': module '{Name(prefix)}' contains itself.");
        if (module.State is not PickleDict state) throw new AlexNetException($"'{source}': module '{Name(prefix)}' ({module.Type}) has no state dict.");
        foreach (var slot in new[] { "_parameters", "_buffers" })
        {
            if (!state.TryGet(slot, out var entries) || entries is null) continue;
            if (entries is not PickleDict dict) throw new AlexNetException($"'{source}': module '{Name(prefix)}' has a {slot} that is not a dict.");
            foreach (var (key, value) in dict.Entries)
            {
                if (value is null) continue; // An absent bias is None in PyTorch.
                tensors.Add(KeyValuePair.Create(prefix + key, value as TensorReference
                    ?? throw new AlexNetException($"'{source}': {slot} entry '{prefix}{key}' is {Describe(value)}, not a tensor.")));
            }
        }
        if (state.TryGet("_modules", out var children) && children is PickleDict modules)
        {
            foreach (var (key, child) in modules.Entries)
            {
                if (child is null) continue;
                CollectModule(child as PickleInstance ?? throw new AlexNetException($"'{source}': submodule '{prefix}{key}' is {Describe(child)}."),
                    $"{prefix}{key}.", tensors, source, visiting);
            }
        }
        visiting.Remove(module);
    }

    private static string Name(string prefix) => prefix.Length == 0 ? "(root)" : prefix.TrimEnd('.');

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleInstance instance => $"a {instance.Type} object",
        PickleDict => "a dict",
        TensorReference => "a tensor",
        string s => $"the string '{s}'",
        long or double or bool => $"the number {value}",
        _ => $"a {value.GetType().Name}",
    };
}
