using System.Diagnostics;
using AlexNet.Backends;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Layers;
using AlexNet.Models;
using AlexNet.Optim;
using AlexNet.Tensors;

namespace AlexNet.Training;

/// <summary>
/// Trains a network epoch by epoch: shuffled mini-batches, forward, softmax cross-entropy, backward,
/// optimizer step; then validation, the learning-rate schedule, metrics.jsonl and checkpoints (last every
/// epoch, best by validation loss). Every source of randomness derives from the seed, the epoch and the
/// step, so a run resumed from last.safetensors continues exactly as if it had never stopped.
/// </summary>
public sealed class Trainer
{
    private readonly Network _network;
    private readonly IBatchProvider _train;
    private readonly IBatchProvider? _validation;
    private readonly Preprocessing _preprocessing;
    private readonly RunDirectory _run;
    private readonly Optimizer _optimizer;
    private readonly LearningRateSchedule _schedule;
    private readonly IExecutionPlan _plan;
    private TrainingState _state;

    private Trainer(Network network, TrainingState state, IBatchProvider train, IBatchProvider? validation, Preprocessing preprocessing, RunDirectory run,
        IBackend? backend)
    {
        (_network, _state, _train, _validation, _preprocessing, _run) = (network, state, train, validation, preprocessing, run);
        var options = state.Options;
        if (!train.SampleShape.Equals(network.InputShape))
        {
            throw new AlexNetException(
                $"Data set '{train.Name}' gives {train.SampleShape} inputs; the {network.Config.Architecture.ToName()} model expects {network.InputShape}.");
        }
        if (train.ClassNames.Count != network.Config.Classes)
        {
            throw new AlexNetException($"Data set '{train.Name}' has {train.ClassNames.Count} classes; the model has {network.Config.Classes}.");
        }
        _optimizer = options.CreateOptimizer(network);
        _optimizer.LearningRate = state.LearningRate;
        _schedule = new LearningRateSchedule(options.ScheduleSettings, options.LearningRate) { State = state.Schedule };
        _plan = (backend ?? ManagedBackend.Instance).CreatePlan(network);
    }

    public TrainingState State => _state;

    public Network Network => _network;

    public IBackend Backend => _plan.Backend;

    /// <summary>The training data's class names, in label order.</summary>
    public IReadOnlyList<string> ClassNames => _train.ClassNames;

    /// <summary>How the training data is normalized; recorded in every checkpoint of the run.</summary>
    public Preprocessing Preprocessing => _preprocessing;

    /// <summary>Called after every few steps with running figures.</summary>
    public Action<StepProgress>? OnProgress { get; set; }

    /// <summary>Called after every training step, before a stop request is honoured.</summary>
    public Action? OnStep { get; set; }

    /// <summary>Called after each epoch with its metrics.</summary>
    public Action<EpochMetrics>? OnEpoch { get; set; }

    public static Trainer StartNew(Network network, TrainingOptions options, IBatchProvider train, IBatchProvider? validation,
        Preprocessing preprocessing, RunDirectory run, IBackend? backend = null)
    {
        options.Validate();
        run.EnsureNoRun();
        var state = new TrainingState(options, 0, 0, options.LearningRate, 0, new ScheduleState(), double.PositiveInfinity);
        var trainer = new Trainer(network, state, train, validation, preprocessing, run, backend);
        run.CreateForNewRun();
        return trainer;
    }

    /// <summary>Continues the run in <paramref name="run"/> from its last checkpoint.</summary>
    public static Trainer Resume(RunDirectory run, IBatchProvider train, IBatchProvider? validation, int? epochs = null, IBackend? backend = null)
    {
        if (!File.Exists(run.LastCheckpoint))
        {
            throw new AlexNetException($"Cannot resume: '{run.LastCheckpoint}' does not exist.");
        }
        var saved = Checkpoint.Load(run.LastCheckpoint);
        var state = saved.Training ?? throw new AlexNetException($"'{run.LastCheckpoint}' holds no training state to resume from.");
        if (epochs is { } total) state = state with { Options = state.Options with { Epochs = total } };
        var trainer = new Trainer(saved.Network, state, train, validation, saved.Preprocessing, run, backend);
        trainer._optimizer.LoadState(saved.OptimizerTensors, state.OptimizerSteps, run.LastCheckpoint);
        run.TruncateMetrics(state.CompletedEpochs);
        return trainer;
    }

    /// <summary>
    /// Trains the remaining epochs. When <paramref name="cancellation"/> fires, the current step finishes,
    /// last.safetensors records the weights and how far the epoch got, <see cref="Interrupted"/> becomes true and
    /// the history so far is returned; <see cref="Resume"/> continues from exactly that step.
    /// </summary>
    public IReadOnlyList<EpochMetrics> Run(CancellationToken cancellation = default)
    {
        var history = new List<EpochMetrics>(_run.ReadMetrics());
        for (var epoch = _state.CompletedEpochs; epoch < _state.Options.Epochs; epoch++)
        {
            var metrics = RunEpoch(epoch, cancellation);
            if (metrics is null)
            {
                Interrupted = true;
                break;
            }
            history.Add(metrics);
            _run.AppendMetrics(metrics);
            OnEpoch?.Invoke(metrics);
        }
        return history;
    }

    /// <summary>True when the last <see cref="Run"/> stopped early on request and saved where it stopped.</summary>
    public bool Interrupted { get; private set; }

    private EpochMetrics? RunEpoch(int epoch, CancellationToken cancellation)
    {
        var options = _state.Options;
        var partial = _state.Partial ?? new PartialEpoch(0, 0, 0, 0, 0);
        var clock = Stopwatch.StartNew();
        var batches = (_train.Count + options.BatchSize - 1) / options.BatchSize;
        var (lossSum, correct, correctTop5, seen, batchIndex) = (partial.LossSum, partial.Correct, partial.CorrectTop5, partial.Seen, partial.Batches);
        var step = _state.Step;
        PartialEpoch Progress() => new(batchIndex, lossSum, correct, seen, partial.Seconds + clock.Elapsed.TotalSeconds, correctTop5);

        // The loader gets no cancellation token: a request to stop is honoured between steps, so that the step in
        // flight completes and its weights are saved.
        foreach (var batch in batchIndex < batches ? _train.Epoch(epoch, CancellationToken.None, batchIndex) : [])
        {
            var loss = TrainStep(batch, step, out var batchCorrect, out var batchTop5);
            if (!float.IsFinite(loss))
            {
                throw new AlexNetException(
                    $"The training loss became {loss} at epoch {epoch + 1}, step {step + 1} (learning rate {_optimizer.LearningRate:G}); " +
                    $"the last good checkpoint is '{_run.LastCheckpoint}'. Try a lower --lr.");
            }
            step++;
            batchIndex++;
            lossSum += loss * (double)batch.Labels.Length;
            correct += batchCorrect;
            correctTop5 += batchTop5;
            seen += batch.Labels.Length;
            if (batchIndex % 20 == 0 || batchIndex == batches)
            {
                OnProgress?.Invoke(new StepProgress(epoch + 1, options.Epochs, batchIndex, batches, lossSum / seen, (double)correct / seen,
                    (seen - partial.Seen) / clock.Elapsed.TotalSeconds));
            }
            OnStep?.Invoke();
            if (cancellation.IsCancellationRequested)
            {
                SaveInterrupted(step, Progress());
                return null;
            }
        }

        var trainingSeconds = partial.Seconds + clock.Elapsed.TotalSeconds;
        EvaluationResult? validation;
        try
        {
            validation = _validation is { Count: > 0 } v ? Evaluation.Evaluate(_plan, _network.Config.Classes, v, cancellation) : null;
        }
        catch (OperationCanceledException)
        {
            SaveInterrupted(step, Progress());
            return null;
        }
        var trainLoss = lossSum / Math.Max(1, seen);
        var trainTop1 = (double)correct / Math.Max(1, seen);
        var metrics = new EpochMetrics(epoch + 1, _optimizer.LearningRate, trainLoss, trainTop1,
            validation?.Loss, validation?.Top1, validation?.Top5, seen / trainingSeconds, trainingSeconds, (double)correctTop5 / Math.Max(1, seen));

        // The plateau schedule watches validation loss, or the training loss when there is no validation data.
        var nextLearningRate = _schedule.Next(epoch + 1, _optimizer.LearningRate, validation?.Loss ?? trainLoss);
        var score = options.BestBy == BestBy.Top1 ? -(validation?.Top1 ?? trainTop1) : validation?.Loss ?? trainLoss;
        var improved = score < _state.BestMetric;
        _state = _state with
        {
            CompletedEpochs = epoch + 1,
            Step = step,
            LearningRate = nextLearningRate,
            OptimizerSteps = _optimizer.StepCount,
            Schedule = _schedule.State,
            BestMetric = Math.Min(score, _state.BestMetric),
            Partial = null,
        };
        _optimizer.LearningRate = nextLearningRate;
        Checkpoint.Save(_run.LastCheckpoint, _network, _train.ClassNames, _preprocessing, _state, _optimizer);
        if (improved) Checkpoint.Save(_run.BestCheckpoint, _network, _train.ClassNames, _preprocessing, _state);
        return metrics;
    }

    private void SaveInterrupted(long step, PartialEpoch progress)
    {
        _state = _state with { Step = step, OptimizerSteps = _optimizer.StepCount, Partial = progress };
        Checkpoint.Save(_run.LastCheckpoint, _network, _train.ClassNames, _preprocessing, _state, _optimizer);
    }

    private float TrainStep(Batch batch, long step, out int correct, out int correctTop5)
    {
        // Frozen parameters see no backward pass: their gradients stay as they are, unread.
        foreach (var parameter in _optimizer.Parameters) parameter.ZeroGradient();
        var logits = _plan.Forward(batch.Images, new ForwardContext(true, _state.Options.Seed, step));
        var gradient = new Tensor(logits.Shape);
        var loss = SoftmaxCrossEntropy.Loss(logits, batch.Labels, gradient);
        _plan.Backward(gradient);
        _optimizer.Step();
        var classes = logits.Shape[1];
        correct = correctTop5 = 0;
        for (var n = 0; n < batch.Labels.Length; n++)
        {
            if (Evaluation.ArgMax(logits.Data.AsSpan(n * classes, classes)) == batch.Labels[n]) correct++;
            if (SoftmaxCrossEntropy.InTopK(logits, n, batch.Labels[n], Math.Min(5, classes))) correctTop5++;
        }
        return loss;
    }
}
