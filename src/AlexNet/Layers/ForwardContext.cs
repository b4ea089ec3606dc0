namespace AlexNet.Layers;

/// <summary>
/// What a forward pass needs besides its input: whether it is training (dropout active, caches kept for
/// backward) and where randomness comes from. Dropout masks derive from (Seed, Step, layer, sample), so a
/// resumed run draws exactly the masks the uninterrupted run would have drawn. In a data-parallel run a rank's
/// batch is a slice of the global batch: <see cref="SampleOffset"/> is where it starts, so that sample n of the
/// slice draws the mask of global sample SampleOffset + n, whatever the number of ranks. <see cref="Buffers"/>, set by
/// an execution plan, lets the layers reuse their outputs' (and in training their gradients') memory from one
/// call to the next; without it every call returns fresh tensors.
/// </summary>
public sealed record ForwardContext(bool Training, ulong Seed = 0, long Step = 0)
{
    public static ForwardContext Inference { get; } = new(false);

    public LayerBuffers? Buffers { get; init; }

    /// <summary>Position of this batch's first sample in the step's global batch (0 in a single process).</summary>
    public int SampleOffset { get; init; }

    /// <summary>
    /// Set by the managed plan, which runs every layer of its network itself, to that network's
    /// <see cref="Models.ActivationFusion"/>: the ReLUs it names then do their work inside their neighbours (the
    /// convolution before clamps its output, an LRN after masks its input gradient), saving the ReLU's own passes over
    /// memory. Results are bitwise those of the separate layers. Left unset by plans that run only some layers on the
    /// managed kernels, whose neighbours may run elsewhere.
    /// </summary>
    internal Models.ActivationFusion? Fusion { get; init; }
}
