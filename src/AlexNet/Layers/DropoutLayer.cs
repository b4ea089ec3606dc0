using System.Numerics;
using AlexNet.Randomness;
using AlexNet.Tensors;

namespace AlexNet.Layers;

/// <summary>
/// Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1 / (1 − p), so
/// inference is the identity (the paper instead halves outputs at test time; the expectation is the same).
/// The mask of sample n at training step t comes from RandomStream(seed, t, layer, n), n counted in the step's
/// global batch (<see cref="ForwardContext.SampleOffset"/>), so that data-parallel ranks draw a single process's masks.
/// </summary>
public sealed class DropoutLayer : Layer
{
    private float[]? _mask;
    private LayerBuffers? _buffers;
    private readonly ulong _layerStream;

    public DropoutLayer(string name, float probability) : base(name)
    {
        if (!(probability >= 0 && probability < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), $"Layer '{name}': dropout probability must be in [0, 1), got {probability}.");
        }
        Probability = probability;
        _layerStream = StableHash(name);
    }

    public float Probability { get; }

    public override string Description => $"Dropout {Probability:G}";

    public override Shape OutputShape(Shape input) => input;

    public override Tensor Forward(Tensor input, ForwardContext context)
    {
        if (!context.Training || Probability == 0) return input;
        var output = OutputTensor(context, input.Shape);
        var mask = context.Buffers?.Tensor(this, 1, input.Shape).Data ?? new float[input.Length];
        FillMask(mask, input.BatchSize, input.ItemLength, context);
        System.Numerics.Tensors.TensorPrimitives.Multiply(input.Data, mask, output.Data);
        (_mask, _buffers) = (mask, context.Buffers);
        return output;
    }

    /// <summary>
    /// Fills <paramref name="mask"/> with the training-step mask for a batch of <paramref name="batch"/> items of
    /// <paramref name="itemLength"/> values (C order): 1 / (1 − p) where a unit is kept, 0 where it is dropped. Public
    /// so that every backend draws the same masks (into buffers it keeps: a mask of AlexNet's fc6 is 1 MiB a step).
    /// </summary>
    public void FillMask(float[] mask, int batch, int itemLength, ForwardContext context)
    {
        var keep = 1 - Probability;
        var scale = 1 / keep;
        // A draw's 24 bits x keep a unit when x·2⁻²⁴ < keep, that is when x < keep·2²⁴: both sides exact in float.
        var threshold = keep * (1 << 24);
        Parallel.For(0, batch, n =>
        {
            var random = new RandomStream(context.Seed, (ulong)context.Step, _layerStream, (ulong)(context.SampleOffset + n));
            var row = mask.AsSpan(n * itemLength, itemLength);
            // Draw every unit first and decide after, vector-wide: a branch per unit mispredicts half the time at p = 0.5.
            for (var i = 0; i < row.Length; i++) row[i] = random.NextUInt64() >> 40;
            KeepOrDrop(row, threshold, scale);
        });
    }

    /// <summary>Replaces each draw in <paramref name="row"/> by <paramref name="scale"/> if it is below the threshold, else 0.</summary>
    private static void KeepOrDrop(Span<float> row, float threshold, float scale)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (limit, kept) = (new Vector<float>(threshold), new Vector<float>(scale));
            for (; i <= row.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var draws = new Vector<float>(row[i..]);
                Vector.ConditionalSelect(Vector.LessThan(draws, limit), kept, Vector<float>.Zero).CopyTo(row[i..]);
            }
        }
        for (; i < row.Length; i++) row[i] = row[i] < threshold ? scale : 0f;
    }

    public override Tensor Backward(Tensor outputGradient)
    {
        if (Probability == 0) return outputGradient;
        var mask = Cached(_mask);
        var inputGradient = GradientTensor(_buffers, outputGradient.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.Data, mask, inputGradient.Data);
        return inputGradient;
    }

    /// <summary>FNV-1a of the name: the same stream for the same layer in every process.</summary>
    internal static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var ch in text)
        {
            hash ^= ch;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
