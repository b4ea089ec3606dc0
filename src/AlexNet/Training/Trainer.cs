using System.Diagnostics;
using AlexNet.Backends;
using AlexNet.Checkpoints;
using AlexNet.Data;
using AlexNet.Distributed;
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
/// Data-parallel (an <see cref="ITrainingGroup"/> of several ranks): every rank trains on its slice of each global
/// batch, gradients and the step's figures are summed over the ranks while backward runs, and every rank applies the
/// same update; rank 0 alone writes. Each step, evaluation and save ends with all ranks agreeing on failures, so
/// that an error on one rank stops them all with its cause.
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
    private readonly ITrainingGroup _group;
    private readonly IGradientExchange _exchange;
    private TrainingState _state;

    private Trainer(Network network, TrainingState state, IBatchProvider train, IBatchProvider? validation, Preprocessing preprocessing, RunDirectory run,
        IBackend? backend, ITrainingGroup group)
    {
        (_network, _state, _train, _validation, _preprocessing, _run, _group) = (network, state, train, validation, preprocessing, run, group);
        var options = state.Options;
        group.Shard.CheckDivides(options.BatchSize, "--batch-size");
        if (!train.SampleShape.Equals(network.InputShape))
        {
            throw new AlexNetException(
                $"Data set '{train.Name}' gives {train.SampleShape} inputs; the {network.Config.Architecture.ToName()} model expects {network.InputShape}.");
        }
        if (train.ClassNames.Count != network.Config.Classes)
        {
            throw new AlexNetException($"Data set '{train.Name}' has {train.ClassNames.Count} classes; the model has {network.Config.Classes}.");
        }
        CheckBatchNormBatches(network, train, options.BatchSize);
        CheckBatchNormRanks(network, group);
        _optimizer = options.CreateOptimizer(network);
        _optimizer.LearningRate = state.LearningRate;
        _schedule = new LearningRateSchedule(options.ScheduleSettings, options.LearningRate) { State = state.Schedule };
        _plan = (backend ?? ManagedBackend.Instance).CreatePlan(network);
        // Only what trains is summed over the ranks: frozen layers have no backward pass and keep their weights.
        _exchange = group.ExchangeGradients(_plan, _optimizer.Parameters);
    }

    public TrainingState State => _state;

    /// <summary>
    /// Batch normalization normalizes by the statistics of the batch a process sees. On several ranks each would see its
    /// share of the batch and keep running statistics of its own, so the ranks would not train the single process's
    /// model (nor one model at all): refused until the statistics are reduced across ranks.
    /// </summary>
    private static void CheckBatchNormRanks(Network network, ITrainingGroup group)
    {
        if (group.Size < 2 || network.Layers.OfType<BatchNormLayer>().FirstOrDefault() is not { } norm) return;
        throw new AlexNetException(
            $"The {network.Config.Architecture.ToName()} model's batch normalization ('{norm.Name}' and the others) computes its statistics over the " +
            $"images of one process; on {group.Size} ranks each would normalize by its share of every batch and keep running statistics of its own. " +
            "Train it in one process (without mpirun).");
    }

    /// <summary>
    /// Batch normalization with one value per channel (after a dense layer, or a 1×1 plane) cannot train on a batch of
    /// one image: refused before the first epoch rather than at the end of one.
    /// </summary>
    private static void CheckBatchNormBatches(Network network, IBatchProvider train, int batchSize)
    {
        var single = network.BatchNormUntrainableOn(batchSize, train.Count);
        if (single is null) return;
        throw new AlexNetException(
            $"Batch normalization '{single.Name}' needs at least two images per training batch, but {train.Count:N0} training images in batches of {batchSize} " +
            "leave a batch of one; choose another --batch-size.");
    }

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

    /// <summary>The ranks training together (the single process outside a data-parallel run).</summary>
    public ITrainingGroup Group => _group;

    /// <summary>What the last step's gradient reduction cost (nothing outside a data-parallel run).</summary>
    public ExchangeTimes LastExchange => _exchange.LastStep;

    /// <summary>
    /// Starts a new run in <paramref name="run"/>. With a <paramref name="group"/> of several ranks, every rank calls this
    /// with its own shard of the data; rank 0 creates the run directory and its weights become every rank's.
    /// </summary>
    public static Trainer StartNew(Network network, TrainingOptions options, IBatchProvider train, IBatchProvider? validation,
        Preprocessing preprocessing, RunDirectory run, IBackend? backend = null, ITrainingGroup? group = null)
    {
        group ??= ITrainingGroup.SingleProcess;
        Trainer? trainer = null;
        Exception? failure = null;
        try
        {
            options.Validate();
            if (group.IsWriter) run.EnsureNoRun();
            var state = new TrainingState(options, 0, 0, options.LearningRate, 0, new ScheduleState(), double.PositiveInfinity);
            trainer = new Trainer(network, state, train, validation, preprocessing, run, backend, group);
            if (group.IsWriter) run.CreateForNewRun();
        }
        catch (Exception e)
        {
            failure = e;
        }
        group.Agree(failure);
        foreach (var parameter in network.Parameters) group.Broadcast(parameter.Value.Data);
        return trainer!;
    }

    /// <summary>
    /// Continues the run in <paramref name="run"/> from its last checkpoint. With a <paramref name="group"/> of several
    /// ranks, rank 0 reads the checkpoint and sends it to the others, which need no access to the run directory; the
    /// number of ranks may differ from the run's earlier ones.
    /// </summary>
    public static Trainer Resume(RunDirectory run, IBatchProvider train, IBatchProvider? validation, int? epochs = null, IBackend? backend = null,
        ITrainingGroup? group = null)
    {
        group ??= ITrainingGroup.SingleProcess;
        byte[]? content = null;
        Exception? failure = null;
        try
        {
            if (group.IsWriter) content = ReadLastCheckpoint(run);
        }
        catch (Exception e)
        {
            failure = e;
        }
        group.Agree(failure);
        content = group.Broadcast(content);
        Trainer? trainer = null;
        try
        {
            var saved = Checkpoint.Load(content, run.LastCheckpoint);
            var state = saved.Training ?? throw new AlexNetException($"'{run.LastCheckpoint}' holds no training state to resume from.");
            if (epochs is { } total) state = state with { Options = state.Options with { Epochs = total } };
            trainer = new Trainer(saved.Network, state, train, validation, saved.Preprocessing, run, backend, group);
            trainer._optimizer.LoadState(saved.OptimizerTensors, state.OptimizerSteps, run.LastCheckpoint);
            if (group.IsWriter) run.TruncateMetrics(state.CompletedEpochs);
        }
        catch (Exception e)
        {
            failure = e;
        }
        group.Agree(failure);
        return trainer!;
    }

    private static byte[] ReadLastCheckpoint(RunDirectory run)
    {
        if (!File.Exists(run.LastCheckpoint))
        {
            throw new AlexNetException($"Cannot resume: '{run.LastCheckpoint}' does not exist.");
        }
        return UserFiles.Run($"read '{run.LastCheckpoint}'", () => File.ReadAllBytes(run.LastCheckpoint));
    }

    /// <summary>
    /// Trains the remaining epochs. When <paramref name="cancellation"/> fires, the current step finishes,
    /// last.safetensors records the weights and how far the epoch got, <see cref="Interrupted"/> becomes true and
    /// the history so far is returned; <see cref="Resume"/> continues from exactly that step.
    /// </summary>
    public IReadOnlyList<EpochMetrics> Run(CancellationToken cancellation = default)
    {
        var history = new List<EpochMetrics>(_group.IsWriter ? _run.ReadMetrics() : []);
        for (var epoch = _state.CompletedEpochs; epoch < _state.Options.Epochs; epoch++)
        {
            if (_state.Options.EarlyStop > 0 && _state.EpochsWithoutImprovement >= _state.Options.EarlyStop)
            {
                StoppedEarly = true;
                break;
            }
            var metrics = RunEpoch(epoch, cancellation);
            if (metrics is null)
            {
                Interrupted = true;
                break;
            }
            history.Add(metrics);
            OnEpoch?.Invoke(metrics);
        }
        return history;
    }

    /// <summary>True when the last <see cref="Run"/> stopped early on request and saved where it stopped.</summary>
    public bool Interrupted { get; private set; }

    /// <summary>
    /// True when the last <see cref="Run"/> ended before its epochs because the figure of <see cref="TrainingOptions.BestBy"/>
    /// had not improved for <see cref="TrainingOptions.EarlyStop"/> epochs.
    /// </summary>
    public bool StoppedEarly { get; private set; }

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
        using (var batchesLeft = (batchIndex < batches ? _train.Epoch(epoch, CancellationToken.None, batchIndex) : []).GetEnumerator())
        {
            while (batchIndex < batches)
            {
                var globalBatch = Math.Min(options.BatchSize, _train.Count - batchIndex * options.BatchSize);
                var totals = TrainStep(batchesLeft, globalBatch, epoch, step, cancellation);
                step++;
                batchIndex++;
                lossSum += totals.LossSum;
                correct += totals.Correct;
                correctTop5 += totals.CorrectTop5;
                seen += totals.Seen;
                if (batchIndex % 20 == 0 || batchIndex == batches)
                {
                    OnProgress?.Invoke(new StepProgress(epoch + 1, options.Epochs, batchIndex, batches, lossSum / seen, (double)correct / seen,
                        (seen - partial.Seen) / clock.Elapsed.TotalSeconds, _group.Size));
                }
                OnStep?.Invoke();
                // Ranks stop after the same step: a request counts once the step's totals carry it to every rank.
                if (totals.StopRequested || (_group.Size == 1 && cancellation.IsCancellationRequested))
                {
                    SaveInterrupted(step, Progress());
                    return null;
                }
            }
        }

        var trainingSeconds = partial.Seconds + clock.Elapsed.TotalSeconds;
        EvaluationResult? validation;
        try
        {
            validation = _validation is { Count: > 0 } v ? Validate(v, cancellation) : null;
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

        // The plateau schedule watches validation loss or top-1, or the training figure when there is no validation data.
        var monitored = options.ScheduleSettings.Monitor == PlateauMonitor.ValTop1 ? validation?.Top1 ?? trainTop1 : validation?.Loss ?? trainLoss;
        var nextLearningRate = _schedule.Next(epoch + 1, _optimizer.LearningRate, monitored);
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
            EpochsWithoutImprovement = improved ? 0 : _state.EpochsWithoutImprovement + 1,
        };
        _optimizer.LearningRate = nextLearningRate;
        WriteAndAgree(() =>
        {
            Checkpoint.Save(_run.LastCheckpoint, _network, _train.ClassNames, _preprocessing, _state, _optimizer);
            if (improved) Checkpoint.Save(_run.BestCheckpoint, _network, _train.ClassNames, _preprocessing, _state);
            _run.AppendMetrics(metrics);
        });
        return metrics;
    }

    private void SaveInterrupted(long step, PartialEpoch progress)
    {
        _state = _state with { Step = step, OptimizerSteps = _optimizer.StepCount, Partial = progress };
        WriteAndAgree(() => Checkpoint.Save(_run.LastCheckpoint, _network, _train.ClassNames, _preprocessing, _state, _optimizer));
    }

    /// <summary>Runs <paramref name="write"/> on the writing rank; every rank then learns whether it failed (a full disk stops them all).</summary>
    private void WriteAndAgree(Action write)
    {
        Exception? failure = null;
        try
        {
            if (_group.IsWriter) write();
        }
        catch (Exception e)
        {
            failure = e;
        }
        _group.Agree(failure);
    }

    /// <summary>
    /// One step over this rank's slice of a global batch of <paramref name="globalBatch"/> samples (a rank may have none
    /// in a short last batch): forward, loss, backward with the gradients reduced as they are finished, then the
    /// update. Returns the step's figures summed over the ranks.
    /// </summary>
    private StepTotals TrainStep(IEnumerator<Batch> batches, int globalBatch, int epoch, long step, CancellationToken cancellation)
    {
        var (offset, count) = _group.Shard.Portion(globalBatch);
        var totals = new double[StepTotals.Length];
        Exception? failure = null;
        // Frozen parameters see no backward pass: their gradients stay as they are, unread (and are not exchanged).
        foreach (var parameter in _optimizer.Parameters) parameter.ZeroGradient();
        _exchange.BeginStep();
        try
        {
            if (count > 0)
            {
                var batch = batches.MoveNext() ? batches.Current : throw new InvalidOperationException($"'{_train.Name}' ran out of batches before the end of epoch {epoch + 1}.");
                var logits = _plan.Forward(batch.Images, new ForwardContext(true, _state.Options.Seed, step) { SampleOffset = offset });
                var gradient = new Tensor(logits.Shape);
                var loss = SoftmaxCrossEntropy.Loss(logits, batch.Labels, gradient, globalBatch);
                if (!float.IsFinite(loss))
                {
                    throw new AlexNetException(
                        $"The training loss became {loss} at epoch {epoch + 1}, step {step + 1} (learning rate {_optimizer.LearningRate:G}); " +
                        $"the last good checkpoint is '{_run.LastCheckpoint}'. Try a lower --lr.");
                }
                _plan.Backward(gradient);
                StepTotals.Count(logits, batch.Labels, loss, totals);
            }
        }
        catch (Exception e)
        {
            failure = e;
        }
        totals[StepTotals.StopIndex] = cancellation.IsCancellationRequested ? 1 : 0;
        _exchange.EndStep(totals, failure);
        _optimizer.Step();
        return new StepTotals(totals);
    }

    /// <summary>Loss and accuracy on the validation data: each rank evaluates its share, the counts are summed.</summary>
    private EvaluationResult Validate(IBatchProvider validation, CancellationToken cancellation)
    {
        EvaluationResult? local = null;
        Exception? failure = null;
        try
        {
            // Ranks stop together at a step boundary, so evaluation is not cancelled halfway on one rank alone.
            local = Evaluation.Evaluate(_plan, _network.Config.Classes, validation, _group.Size > 1 ? CancellationToken.None : cancellation);
        }
        catch (Exception e)
        {
            failure = e;
        }
        _group.Agree(failure);
        return _group.Size == 1 ? local! : GroupEvaluation.Sum(local!, _group);
    }
}
