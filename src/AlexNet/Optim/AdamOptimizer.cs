using AlexNet.Tensors;

namespace AlexNet.Optim;

/// <summary>Adam settings, PyTorch's defaults; weight decay is L2 added to the gradient (not AdamW).</summary>
public sealed record AdamOptions(double Beta1 = 0.9, double Beta2 = 0.999, double Epsilon = 1e-8, double WeightDecay = 0, bool DecayBiases = true);

/// <summary>
/// Adam (Kingma and Ba 2015) as torch.optim.Adam computes it:
///   g ← ∇w + wd·w;  m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²
///   w ← w − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
/// </summary>
public sealed class AdamOptimizer : Optimizer
{
    private readonly AdamOptions _options;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;

    public AdamOptimizer(IReadOnlyList<Parameter> parameters, double learningRate, AdamOptions options, IReadOnlyList<double>? learningRateScales = null)
        : base(parameters, learningRate, learningRateScales)
    {
        _options = options;
        _first = parameters.Select(p => new Tensor(p.Shape)).ToArray();
        _second = parameters.Select(p => new Tensor(p.Shape)).ToArray();
    }

    public AdamOptions Options => _options;

    public override string Kind => "adam";

    public override void Step()
    {
        var t = StepCount + 1;
        var (b1, b2, eps) = ((float)_options.Beta1, (float)_options.Beta2, (float)_options.Epsilon);
        var correctedLearningRate = LearningRate / (1 - Math.Pow(_options.Beta1, t));
        var secondCorrection = (float)Math.Sqrt(1 - Math.Pow(_options.Beta2, t));
        Parallel.For(0, Parameters.Count, i =>
        {
            var parameter = Parameters[i];
            var (w, grad, m, v) = (parameter.Value.Data, parameter.Gradient.Data, _first[i].Data, _second[i].Data);
            var decay = DecayFor(parameter, _options.WeightDecay, _options.DecayBiases);
            var stepSize = (float)(correctedLearningRate * LearningRateScales[i]);
            for (var j = 0; j < w.Length; j++)
            {
                var g = grad[j] + decay * w[j];
                m[j] = b1 * m[j] + (1 - b1) * g;
                v[j] = b2 * v[j] + (1 - b2) * g * g;
                w[j] -= stepSize * m[j] / (MathF.Sqrt(v[j]) / secondCorrection + eps);
            }
        });
        StepCount = t;
    }

    public override IEnumerable<KeyValuePair<string, Tensor>> StateTensors() =>
        Parameters.Select((p, i) => KeyValuePair.Create($"optimizer.adam_m.{p.Name}", _first[i]))
            .Concat(Parameters.Select((p, i) => KeyValuePair.Create($"optimizer.adam_v.{p.Name}", _second[i])));
}
