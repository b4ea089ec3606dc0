using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>
/// One step of a sequential network, computed by the managed (reference) backend. Forward caches exactly
/// what Backward needs; Backward returns the input gradient and accumulates parameter gradients. Outputs and
/// input gradients are new tensors, unless the forward context carries a plan's <see cref="LayerBuffers"/>:
/// then they are that plan's reused buffers, valid until the layer's next call. Shapes given to
/// <see cref="OutputShape"/> and <see cref="MultiplyAdds"/> are per sample (no batch dimension). A forward
/// pass in inference mode writes no layer state, so several threads may run inference through the same
/// layers at once (each with its own buffers or none); training is single-threaded.
/// </summary>
public abstract class Layer
{
    protected Layer(string name) => Name = name;

    /// <summary>Stable name, prefix of the parameter names (e.g. <c>conv1</c>, <c>features.0</c>).</summary>
    public string Name { get; }

    /// <summary>Short description of the operation for summaries, e.g. <c>Conv2d 11×11/4, groups 2</c>.</summary>
    public abstract string Description { get; }

    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Tensors the layer keeps that no optimizer trains (batch normalization's running mean and variance).</summary>
    public virtual IReadOnlyList<RunningStatistic> Statistics => [];

    /// <summary>
    /// False for the first layer of a network: nothing needs the gradient of the input image, and skipping it
    /// saves a large part of conv1's backward pass.
    /// </summary>
    public bool ComputesInputGradient { get; set; } = true;

    public abstract Shape OutputShape(Shape input);

    /// <summary>
    /// Multiply-adds of one forward pass for one sample, counted for convolutions and linear layers only, as the
    /// paper's and torchvision's figures are (724 M and 714 M).
    /// </summary>
    public virtual long MultiplyAdds(Shape input) => 0;

    public abstract Tensor Forward(Tensor input, ForwardContext context);

    public abstract Tensor Backward(Tensor outputGradient);

    /// <summary>
    /// A tensor for this layer's output: reused from the plan's buffers when the context has them, else new.
    /// Callers must overwrite every element.
    /// </summary>
    protected Tensor OutputTensor(ForwardContext context, Shape shape, int slot = 0) =>
        context.Buffers?.Tensor(this, slot, shape) ?? new Tensor(shape);

    /// <summary>
    /// A tensor for Backward's result, from the buffers of the last training forward's context when it had
    /// them (slots from 100 up, apart from the forward slots), else new. Callers must overwrite every element.
    /// </summary>
    protected Tensor GradientTensor(LayerBuffers? buffers, Shape shape, int slot = 0) =>
        buffers?.Tensor(this, 100 + slot, shape) ?? new Tensor(shape);

    protected T Cached<T>(T? value) where T : class =>
        value ?? throw new InvalidOperationException($"Layer '{Name}': Backward was called before a training Forward.");

    protected void CheckInput(Tensor input, int rank)
    {
        if (input.Shape.Rank != rank)
        {
            throw new ArgumentException($"Layer '{Name}' expects a rank-{rank} input (batch first), got {input.Shape}.");
        }
    }

    public override string ToString() => $"{Name}: {Description}";
}
