namespace AlexNet.Tensors;

/// <summary>
/// A dense float32 tensor in row-major (C) order: the last dimension varies fastest, so activations are
/// NCHW and convolution weights OIHW, as in PyTorch. Plain managed memory, no autograd graph.
/// </summary>
public sealed class Tensor
{
    public Tensor(Shape shape)
    {
        Shape = shape;
        Data = new float[checked((int)shape.ElementCount)];
    }

    public Tensor(Shape shape, float[] data)
    {
        if (data.LongLength != shape.ElementCount)
        {
            throw new ArgumentException($"Shape {shape} needs {shape.ElementCount} values, got {data.Length}.", nameof(data));
        }
        Shape = shape;
        Data = data;
    }

    public Tensor(params int[] dimensions) : this(new Shape(dimensions)) { }

    public Shape Shape { get; }

    public float[] Data { get; }

    public int Length => Data.Length;

    public Span<float> Span => Data;

    /// <summary>Size of the first dimension (the batch, for activations).</summary>
    public int BatchSize => Shape[0];

    /// <summary>Number of elements per item of the first dimension.</summary>
    public int ItemLength => Shape[0] == 0 ? 0 : Length / Shape[0];

    public Tensor Clone() => new(Shape, (float[])Data.Clone());

    /// <summary>A tensor sharing this one's memory under another shape with the same element count.</summary>
    public Tensor Reshape(Shape shape) => new(shape, Data);

    public void Clear() => Array.Clear(Data);

    public override string ToString() => $"Tensor{Shape}";
}
