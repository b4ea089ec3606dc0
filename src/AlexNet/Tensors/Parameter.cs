namespace AlexNet.Tensors;

/// <summary>What an optimizer should do with a parameter besides following its gradient.</summary>
public enum ParameterRole
{
    Weight,
    Bias,
}

/// <summary>
/// A learnable tensor with its gradient. The name is stable (for example <c>conv1.weight</c> or
/// <c>features.0.weight</c>) and doubles as the checkpoint key. Value and gradient live in pinned arrays, so a
/// native backend can read and write them in place instead of keeping copies of its own.
/// </summary>
public sealed class Parameter
{
    public Parameter(string name, Shape shape, ParameterRole role)
    {
        Name = name;
        Role = role;
        Value = new Tensor(shape, GC.AllocateArray<float>(checked((int)shape.ElementCount), pinned: true));
        Gradient = new Tensor(shape, GC.AllocateArray<float>(checked((int)shape.ElementCount), pinned: true));
    }

    public string Name { get; }

    public ParameterRole Role { get; }

    public Tensor Value { get; }

    /// <summary>Accumulated by backward passes; cleared by <see cref="ZeroGradient"/>.</summary>
    public Tensor Gradient { get; }

    public Shape Shape => Value.Shape;

    /// <summary>
    /// True while the gradient is known to hold only zeros: from construction or <see cref="ZeroGradient"/> until a
    /// backward pass reports a write through <see cref="NoteGradientWritten"/>. A backend may then write the gradient
    /// instead of adding to it, which needs no scratch copy.
    /// </summary>
    public bool GradientIsZero { get; private set; } = true;

    public void ZeroGradient()
    {
        Gradient.Clear();
        GradientIsZero = true;
    }

    /// <summary>Whatever adds to <see cref="Gradient"/> calls this, so that the next pass accumulates.</summary>
    public void NoteGradientWritten() => GradientIsZero = false;

    public override string ToString() => $"{Name}{Shape}";
}
