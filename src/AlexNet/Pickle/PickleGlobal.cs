namespace AlexNet.Pickle;

/// <summary>A reference to a Python global (<c>module.name</c>) that the unpickler allowed.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";

    public override string ToString() => FullName;
}
