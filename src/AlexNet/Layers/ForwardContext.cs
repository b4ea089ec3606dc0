namespace AlexNet.Layers;

/// <summary>
/// What a forward pass needs besides its input: whether it is training (dropout active, caches kept for
/// backward) and where randomness comes from. Dropout masks derive from (Seed, Step, layer, sample), so a
/// resumed run draws exactly the masks the uninterrupted run would have drawn. <see cref="Buffers"/>, set by
/// an execution plan, lets the layers reuse their outputs' (and in training their gradients') memory from one
/// call to the next; without it every call returns fresh tensors.
/// </summary>
public sealed record ForwardContext(bool Training, ulong Seed = 0, long Step = 0)
{
    public static ForwardContext Inference { get; } = new(false);

    public LayerBuffers? Buffers { get; init; }
}
