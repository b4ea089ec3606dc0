namespace AlexNet.OneDnn.Primitives;

/// <summary>
/// oneDNN offered only its reference (<c>ref:</c>) implementation for a primitive: scalar C++ loops, hundreds of
/// times slower than its JIT kernels. Thrown at compile time, before anything runs, so that the plan can try
/// other memory formats or hand the layer to the managed kernels.
/// </summary>
internal sealed class ReferenceImplementationException(string what, string implementation)
    : Exception($"{what}: oneDNN offers only its reference implementation ({implementation}) for these memory formats on this CPU.")
{
    public string What { get; } = what;

    public string Implementation { get; } = implementation;

    /// <summary>The plan step whose backward primitive was refused, when it was refused while preparing backward.</summary>
    public Steps.PlanStep? Step { get; set; }
}
