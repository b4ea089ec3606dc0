namespace AlexNet.Pickle;

/// <summary>
/// An object of an allowed class (a torch.nn module, a set) recorded as data: the class, the constructor
/// arguments the pickle named and the state BUILD gave it. Nothing of the class is ever run.
/// </summary>
public sealed class PickleInstance(PickleGlobal type, object?[] arguments)
{
    public PickleGlobal Type { get; } = type;

    public object?[] Arguments { get; } = arguments;

    public object? State { get; set; }

    public override string ToString() => $"{Type.FullName} instance";
}
