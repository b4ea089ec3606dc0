namespace AlexNet.Layers;

/// <summary>
/// What a forward pass needs besides its input: whether it is training (dropout active, caches kept for
/// backward) and where randomness comes from. Dropout masks derive from (Seed, Step, layer, sample), so a
/// resumed run draws exactly the masks the uninterrupted run would have drawn.
/// </summary>
public sealed record ForwardContext(bool Training, ulong Seed = 0, long Step = 0)
{
    public static ForwardContext Inference { get; } = new(false);
}
