namespace AlexNet.OneDnn.Primitives;

/// <summary>A primitive a plan created and the implementation oneDNN chose for it, e.g. <c>jit:avx2</c>.</summary>
public sealed record PrimitiveRecord(string Primitive, string Implementation);
