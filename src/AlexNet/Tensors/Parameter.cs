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
/// <para>
/// Both arrays are created on first use. Building a network therefore costs no parameter memory, which lets a loader
/// build the network a file describes, compare every parameter's shape with the tensors the file really holds, and
/// only then fill it (see <c>Checkpoint.LoadParameters</c>): a damaged file cannot make it reserve more than it
/// provides. Inference never touches gradients, so it never pays for them.
/// </para>
/// </summary>
public sealed class Parameter
{
    private Tensor? _value;
    private Tensor? _gradient;

    public Parameter(string name, Shape shape, ParameterRole role)
    {
        if (shape.ElementCount > Array.MaxLength)
        {
            throw new ArgumentException($"Parameter '{name}' of shape {shape} has more than the {Array.MaxLength:N0} values an array can hold.", nameof(shape));
        }
        Name = name;
        Role = role;
        Shape = shape;
    }

    public string Name { get; }

    public ParameterRole Role { get; }

    public Tensor Value => _value ?? Create(ref _value);

    /// <summary>Accumulated by backward passes; cleared by <see cref="ZeroGradient"/>.</summary>
    public Tensor Gradient => _gradient ?? Create(ref _gradient);

    public Shape Shape { get; }

    /// <summary>
    /// True while the gradient is known to hold only zeros: from construction or <see cref="ZeroGradient"/> until a
    /// backward pass reports a write through <see cref="NoteGradientWritten"/>. A backend may then write the gradient
    /// instead of adding to it, which needs no scratch copy.
    /// </summary>
    public bool GradientIsZero { get; private set; } = true;

    public void ZeroGradient()
    {
        // A gradient that does not exist yet is zero when it comes.
        _gradient?.Clear();
        GradientIsZero = true;
    }

    /// <summary>Whatever adds to <see cref="Gradient"/> calls this, so that the next pass accumulates.</summary>
    public void NoteGradientWritten() => GradientIsZero = false;

    public override string ToString() => $"{Name}{Shape}";

    /// <summary>The pinned array, once: threads that race to create it all get the one that won.</summary>
    private Tensor Create(ref Tensor? slot)
    {
        var tensor = new Tensor(Shape, GC.AllocateArray<float>((int)Shape.ElementCount, pinned: true));
        return Interlocked.CompareExchange(ref slot, tensor, null) ?? tensor;
    }
}
