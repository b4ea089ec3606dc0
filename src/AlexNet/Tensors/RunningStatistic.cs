namespace AlexNet.Tensors;

/// <summary>
/// A tensor a layer keeps between passes that no gradient trains, such as batch normalization's running mean and
/// variance (PyTorch calls these buffers). The layer updates it during training forward passes; it is saved in
/// checkpoints under its name (e.g. <c>bn1.running_mean</c>, PyTorch's state_dict key) but is never handed to an
/// optimizer, so neither a step nor weight decay touches it. Pinned, like <see cref="Parameter"/>, so that a
/// native backend can read it in place.
/// </summary>
public sealed class RunningStatistic
{
    public RunningStatistic(string name, Shape shape, float initialValue)
    {
        Name = name;
        Value = new Tensor(shape, GC.AllocateArray<float>(checked((int)shape.ElementCount), pinned: true));
        Array.Fill(Value.Data, initialValue);
    }

    public string Name { get; }

    public Tensor Value { get; }

    public Shape Shape => Value.Shape;

    public override string ToString() => $"{Name}{Shape}";
}
