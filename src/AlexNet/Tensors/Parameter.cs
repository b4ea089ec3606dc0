namespace AlexNet.Tensors;

/// <summary>What an optimizer should do with a parameter besides following its gradient.</summary>
public enum ParameterRole
{
    Weight,
    Bias,
}

/// <summary>
/// A learnable tensor with its gradient. The name is stable (for example <c>conv1.weight</c> or
/// <c>features.0.weight</c>) and doubles as the checkpoint key.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, Shape shape, ParameterRole role)
    {
        Name = name;
        Role = role;
        Value = new Tensor(shape);
        Gradient = new Tensor(shape);
    }

    public string Name { get; }

    public ParameterRole Role { get; }

    public Tensor Value { get; }

    /// <summary>Accumulated by backward passes; cleared by <see cref="ZeroGradient"/>.</summary>
    public Tensor Gradient { get; }

    public Shape Shape => Value.Shape;

    public void ZeroGradient() => Gradient.Clear();

    public override string ToString() => $"{Name}{Shape}";
}
