using AlexNet.Tensors;

namespace AlexNet.Optim;

/// <summary>
/// Updates parameters from their gradients. State that must survive a restart (momentum buffers, moment
/// estimates, step count) is exposed as named tensors plus a step counter for checkpoints.
/// </summary>
public abstract class Optimizer
{
    protected Optimizer(IReadOnlyList<Parameter> parameters, double learningRate, IReadOnlyList<double>? learningRateScales = null)
    {
        if (learningRateScales is not null && learningRateScales.Count != parameters.Count)
        {
            throw new ArgumentException($"{learningRateScales.Count} learning-rate scales for {parameters.Count} parameters.", nameof(learningRateScales));
        }
        Parameters = parameters;
        LearningRate = learningRate;
        LearningRateScales = learningRateScales ?? Enumerable.Repeat(1.0, parameters.Count).ToArray();
    }

    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Each parameter's learning rate as a multiple of <see cref="LearningRate"/> (1 unless given): fine-tuning trains
    /// pretrained layers slower than a new classifier head.
    /// </summary>
    public IReadOnlyList<double> LearningRateScales { get; }

    public double LearningRate { get; set; }

    /// <summary>Number of <see cref="Step"/> calls so far.</summary>
    public long StepCount { get; protected set; }

    public abstract string Kind { get; }

    public abstract void Step();

    /// <summary>State tensors by checkpoint key (<c>optimizer.&lt;state&gt;.&lt;parameter&gt;</c>).</summary>
    public abstract IEnumerable<KeyValuePair<string, Tensor>> StateTensors();

    /// <summary>Restores state saved by <see cref="StateTensors"/>; every expected key must be present.</summary>
    public void LoadState(IReadOnlyDictionary<string, Tensor> tensors, long stepCount, string source)
    {
        var problems = new List<string>();
        foreach (var (key, tensor) in StateTensors())
        {
            if (!tensors.TryGetValue(key, out var saved)) problems.Add($"missing '{key}'");
            else if (!saved.Shape.Equals(tensor.Shape)) problems.Add($"'{key}' has shape {saved.Shape}, expected {tensor.Shape}");
            else saved.Data.CopyTo(tensor.Data, 0);
        }
        if (problems.Count > 0)
        {
            throw new AlexNetException($"'{source}' has no usable {Kind} optimizer state: {string.Join("; ", problems)}.");
        }
        StepCount = stepCount;
    }

    /// <summary>Weight decay for this parameter, honouring the choice to exempt biases.</summary>
    protected static float DecayFor(Parameter parameter, double weightDecay, bool decayBiases) =>
        parameter.Role == ParameterRole.Bias && !decayBiases ? 0f : (float)weightDecay;
}
