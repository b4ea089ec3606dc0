using AlexNet.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace AlexNet.Optim;

/// <summary>SGD settings. The paper's recipe is momentum 0.9, weight decay 5e-4, lr 0.01, batch 128.</summary>
public sealed record SgdOptions(double Momentum = 0.9, double WeightDecay = 5e-4, bool Nesterov = false, bool DecayBiases = true);

/// <summary>
/// Stochastic gradient descent with momentum, in PyTorch's convention (torch.optim.SGD, dampening 0):
///   g ← ∇w + wd·w;  buf ← m·buf + g (buf ← g on the first step);  g ← g + m·buf if Nesterov else buf;  w ← w − lr·g
/// The paper (and Caffe) keep the learning rate inside the buffer instead:
///   v ← m·v − wd·lr·w − lr·∇w;  w ← w + v
/// The two agree while lr is constant; right after an lr change PyTorch's form applies the new lr to the
/// whole accumulated buffer at once, the paper's only to new gradients.
/// </summary>
public sealed class SgdOptimizer : Optimizer
{
    /// <summary>
    /// Floats per parallel task. Parameters are cut into chunks so that fc6's 38 M weights do not leave the other
    /// cores idle, and each chunk's effective gradient fits a stack buffer instead of a full copy of the model.
    /// </summary>
    private const int Chunk = 8192;

    private readonly SgdOptions _options;
    private readonly Tensor[] _momentum;
    private readonly (int Parameter, int Start)[] _chunks;

    public SgdOptimizer(IReadOnlyList<Parameter> parameters, double learningRate, SgdOptions options, IReadOnlyList<double>? learningRateScales = null)
        : base(parameters, learningRate, learningRateScales)
    {
        if (options.Nesterov && options.Momentum <= 0) throw new AlexNetException("Nesterov momentum needs a momentum above 0.");
        _options = options;
        _momentum = parameters.Select(p => new Tensor(p.Shape)).ToArray();
        _chunks = parameters.SelectMany((p, i) => Enumerable.Range(0, (int)((p.Shape.ElementCount + Chunk - 1) / Chunk)).Select(c => (i, c * Chunk))).ToArray();
    }

    public SgdOptions Options => _options;

    public override string Kind => "sgd";

    public override void Step()
    {
        var m = (float)_options.Momentum;
        var first = StepCount == 0;
        Parallel.For(0, _chunks.Length, task =>
        {
            var (index, start) = _chunks[task];
            var parameter = Parameters[index];
            var length = Math.Min(Chunk, parameter.Value.Length - start);
            var w = parameter.Value.Data.AsSpan(start, length);
            Span<float> g = stackalloc float[length];
            TensorPrimitives.MultiplyAdd(w, DecayFor(parameter, _options.WeightDecay, _options.DecayBiases), parameter.Gradient.Data.AsSpan(start, length), g);
            if (m != 0)
            {
                var buffer = _momentum[index].Data.AsSpan(start, length);
                if (first) g.CopyTo(buffer);
                else TensorPrimitives.MultiplyAdd(buffer, m, g, buffer);
                if (_options.Nesterov) TensorPrimitives.MultiplyAdd(buffer, m, g, g);
                else buffer.CopyTo(g);
            }
            TensorPrimitives.MultiplyAdd(g, -(float)(LearningRate * LearningRateScales[index]), w, w);
        });
        StepCount++;
    }

    public override IEnumerable<KeyValuePair<string, Tensor>> StateTensors() =>
        _options.Momentum == 0 ? [] : Parameters.Select((p, i) => KeyValuePair.Create($"optimizer.momentum.{p.Name}", _momentum[i]));
}
