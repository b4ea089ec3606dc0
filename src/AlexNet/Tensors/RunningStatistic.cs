namespace AlexNet.Tensors;

/// <summary>
/// A tensor a layer keeps between passes that no gradient trains, such as batch normalization's running mean and
/// variance (PyTorch calls these buffers). The layer updates it during training forward passes; it is saved in
/// checkpoints under its name (e.g. <c>bn1.running_mean</c>, PyTorch's state_dict key) but is never handed to an
/// optimizer, so neither a step nor weight decay touches it. Pinned, like <see cref="Parameter"/>, so that a
/// native backend can read it in place, and like it created on first use (holding the initial value), so that a
/// loader can compare a file's tensors with the network it describes before any memory is reserved.
/// </summary>
public sealed class RunningStatistic
{
    private readonly float _initialValue;
    private Tensor? _value;

    public RunningStatistic(string name, Shape shape, float initialValue)
    {
        if (shape.ElementCount > Array.MaxLength)
        {
            throw new ArgumentException($"Running statistic '{name}' of shape {shape} has more than the {Array.MaxLength:N0} values an array can hold.", nameof(shape));
        }
        (Name, Shape, _initialValue) = (name, shape, initialValue);
    }

    public string Name { get; }

    public Tensor Value => _value ?? Create();

    public Shape Shape { get; }

    public override string ToString() => $"{Name}{Shape}";

    /// <summary>The pinned array, once: threads that race to create it all get the one that won.</summary>
    private Tensor Create()
    {
        var tensor = new Tensor(Shape, GC.AllocateArray<float>((int)Shape.ElementCount, pinned: true));
        Array.Fill(tensor.Data, _initialValue);
        return Interlocked.CompareExchange(ref _value, tensor, null) ?? tensor;
    }
}
