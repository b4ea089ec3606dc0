namespace AlexNet.Backends;

/// <summary>
/// What a plan runs for one batch size and mode: the instruction set of its kernels (<c>avx512</c>, <c>avx2</c>,
/// <c>scalar</c>), the layers it hands to the managed kernels, and, for a native backend, every primitive with the
/// implementation the library chose for it.
/// </summary>
public sealed record PlanDescription(string Backend, string Isa, IReadOnlyList<string> DelegatedLayers, IReadOnlyList<KernelChoice> Kernels);

/// <summary>One primitive of a plan and the implementation that runs it, e.g. <c>conv1+relu1 backward weights</c>, <c>jit:avx2</c>.</summary>
public sealed record KernelChoice(string Primitive, string Implementation);
