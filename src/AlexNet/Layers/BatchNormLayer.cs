using AlexNet.Kernels;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>
/// Batch normalization (formulas in <see cref="BatchNormalization"/>): per channel after a convolution ((N, C, H, W)
/// input, PyTorch's BatchNorm2d), per feature after a dense layer ((N, F) input, BatchNorm1d). Training normalizes with
/// the batch's own mean and variance and folds them into the running statistics; inference uses the running ones, so
/// it writes nothing and may run on several threads. γ (<c>weight</c>, starts at 1) and β (<c>bias</c>, 0) are trained;
/// <c>running_mean</c> (0) and <c>running_var</c> (1) are <see cref="RunningStatistic"/>s, saved in checkpoints but never
/// given to an optimizer. Names and momentum follow PyTorch: Keras's BatchNormalization(momentum=0.99, epsilon=1e-3)
/// is momentum 0.01, epsilon 1e-3 here.
/// </summary>
public sealed class BatchNormLayer : Layer
{
    // Created by the first training pass: building a network (from a file's description, say) reserves nothing.
    private float[]? _batchMean;
    private float[]? _batchVariance;
    private Tensor? _input;
    private LayerBuffers? _buffers;

    public BatchNormLayer(string name, int features, float momentum = 0.1f, float epsilon = 1e-5f) : base(name)
    {
        if (features <= 0) throw new ArgumentException($"Layer '{name}': batch normalization needs at least one channel, got {features}.");
        if (!(momentum is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), $"Layer '{name}': momentum must be in [0, 1], got {momentum}.");
        if (!(epsilon > 0) || float.IsInfinity(epsilon)) throw new ArgumentOutOfRangeException(nameof(epsilon), $"Layer '{name}': epsilon must be positive and finite, got {epsilon}.");
        (Features, Momentum, Epsilon) = (features, momentum, epsilon);
        var shape = new Shape(features);
        Weight = new Parameter($"{name}.weight", shape, ParameterRole.Weight, initialValue: 1f);
        Bias = new Parameter($"{name}.bias", shape, ParameterRole.Bias);
        RunningMean = new RunningStatistic($"{name}.running_mean", shape, 0f);
        RunningVariance = new RunningStatistic($"{name}.running_var", shape, 1f);
    }

    /// <summary>Channels (after a convolution) or features (after a dense layer).</summary>
    public int Features { get; }

    /// <summary>PyTorch's momentum: the weight of the new batch in the running statistics.</summary>
    public float Momentum { get; }

    public float Epsilon { get; }

    /// <summary>γ, the per-channel scale.</summary>
    public Parameter Weight { get; }

    /// <summary>β, the per-channel shift.</summary>
    public Parameter Bias { get; }

    public RunningStatistic RunningMean { get; }

    public RunningStatistic RunningVariance { get; }

    public override IReadOnlyList<Parameter> Parameters => [Weight, Bias];

    public override IReadOnlyList<RunningStatistic> Statistics => [RunningMean, RunningVariance];

    public override string Description => $"BatchNorm momentum {Momentum:G}, ε {Epsilon:G}";

    public override Shape OutputShape(Shape input)
    {
        if (input.Rank is not (1 or 3) || input[0] != Features)
        {
            throw new ArgumentException($"Layer '{Name}' expects ({Features}, H, W) or ({Features}) input, got {input}.");
        }
        return input;
    }

    /// <summary>The kernels' geometry for a batched (N, C, H, W) or (N, F) shape.</summary>
    public BatchNormGeometry Geometry(Shape batched) =>
        new(batched[0], batched[1], batched.Rank == 4 ? batched[2] * batched[3] : 1, Epsilon);

    /// <summary>The batch mean and (biased) variance of the last training forward pass, per channel.</summary>
    public ReadOnlySpan<float> BatchMean => _batchMean;

    /// <inheritdoc cref="BatchMean"/>
    public ReadOnlySpan<float> BatchVariance => _batchVariance;

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        if (input.Shape.Rank is not (2 or 4)) throw new ArgumentException($"Layer '{Name}' expects (N, C, H, W) or (N, F) input, got {input.Shape}.");
        OutputShape(input.Shape.WithoutBatch());
        var g = Geometry(input.Shape);
        var output = OutputTensor(context, input.Shape);
        if (!context.Training)
        {
            BatchNormalization.ForwardInference(input.Data, Weight.Value.Data, Bias.Value.Data, RunningMean.Value.Data, RunningVariance.Value.Data,
                output.Data, g);
            return output;
        }
        CheckTrainingBatch(g.M);
        _batchMean ??= new float[Features];
        _batchVariance ??= new float[Features];
        BatchNormalization.ForwardTraining(input.Data, Weight.Value.Data, Bias.Value.Data, output.Data, _batchMean, _batchVariance, g);
        BatchNormalization.UpdateRunningStatistics(_batchMean, _batchVariance, RunningMean.Value.Data, RunningVariance.Value.Data, Momentum, g.M);
        (_input, _buffers) = (input, context.Buffers);
        return output;
    }

    /// <summary>
    /// Training needs more than one value per channel (PyTorch refuses a single one too): one value has no variance, and
    /// the unbiased running variance would divide by zero. A batch of one image after a dense layer is the usual case.
    /// </summary>
    public void CheckTrainingBatch(int valuesPerChannel)
    {
        if (valuesPerChannel < 2)
        {
            throw new ArgumentException($"Layer '{Name}': batch normalization in training needs more than one value per channel, got a batch of {valuesPerChannel}.");
        }
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        var input = Cached(_input);
        var inputGradient = GradientTensor(_buffers, input.Shape);
        BatchNormalization.Backward(input.Data, outputGradient.Data, Weight.Value.Data, _batchMean!, _batchVariance!,
            ComputesInputGradient ? inputGradient.Data : Span<float>.Empty, Weight.Gradient.Data, Bias.Gradient.Data, Geometry(input.Shape));
        Weight.NoteGradientWritten();
        Bias.NoteGradientWritten();
        return inputGradient;
    }
}
